import { createHmac } from 'node:crypto';
import { canonicalPairs, percentEncode } from '../percent.js';

/**
 * Signature v1 (HMAC-SHA1), sent by @alicloud/pop-core, Terraform and the openapi libraries
 * with signatureAlgorithm 'v2' (docs/reference/protocol.md section 5.2). The signed parameters are the
 * query and form-body parameters merged, without `Signature`.
 */
export function v1StringToSign(method: string, params: Array<[string, string]>): string {
  const signed = params.filter(([name]) => name !== 'Signature');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalPairs(signed))}`;
}

export function v1Signature(stringToSign: string, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}
