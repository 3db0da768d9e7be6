import { randomBytes } from 'node:crypto';
import { canonicalPairs, percentEncode } from '../../src/protocol/percent.js';
import { v1Signature, v1StringToSign } from '../../src/protocol/signing/v1.js';
import { EMPTY_BODY_SHA256, v3CanonicalRequest, v3Signature, v3StringToSign } from '../../src/protocol/signing/v3.js';
import type { HttpRequest } from './http.js';

/**
 * Request builders that sign the way the real clients do (protocol.md sections 3.2 and 3.5):
 * a fresh nonce and timestamp for every request, through the project's signing modules.
 */

export const API_VERSION = '2022-04-19';

export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export type Params = Record<string, string | string[]>;

/** `Name.1`, `Name.2`... for arrays, as every client flattens them. */
function flatten(params: Params): Array<[string, string]> {
  return Object.entries(params).flatMap(([name, value]): Array<[string, string]> =>
    Array.isArray(value) ? value.map((v, i) => [`${name}.${i + 1}`, v]) : [[name, value]],
  );
}

// Second precision and no milliseconds, as the SDKs send it.
const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
// pop-core and openapi-client send 32 hex characters.
const nonce = () => randomBytes(16).toString('hex');
const encodePairs = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

/** v3 (ACS3-HMAC-SHA256) as openapi-core sends it: POST, parameters in the query, empty body. */
export function signedV3(host: string, key: AccessKey, action: string, params: Params = {}): HttpRequest {
  const query = flatten(params);
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-version': API_VERSION,
    'x-acs-date': timestamp(),
    'x-acs-signature-nonce': nonce(),
    'x-acs-content-sha256': EMPTY_BODY_SHA256,
    'x-acs-credentials-provider': 'static_ak',
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({ method: 'POST', path: '/', query, headers, signedHeaders, payloadHash: EMPTY_BODY_SHA256 });
  const signature = v3Signature(v3StringToSign(canonical), key.accessKeySecret);
  const search = canonicalPairs(query);
  return {
    method: 'POST',
    path: search ? `/?${search}` : '/',
    headers: {
      ...headers,
      accept: 'application/json',
      'content-length': '0',
      authorization: `ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`,
    },
    body: '',
  };
}

/** v1 (HMAC-SHA1) as pop-core sends it with `{method:'POST'}`: every parameter in a form body. */
export function signedV1Form(key: AccessKey, action: string, params: Params = {}): HttpRequest {
  const pairs: Array<[string, string]> = [
    ['AccessKeyId', key.accessKeyId],
    ['Action', action],
    ['Format', 'JSON'],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureNonce', nonce()],
    ['SignatureVersion', '1.0'],
    ['Timestamp', timestamp()],
    ['Version', API_VERSION],
    ...flatten(params),
  ];
  const signature = v1Signature(v1StringToSign('POST', pairs), key.accessKeySecret);
  const body = encodePairs([...pairs, ['Signature', signature]]);
  return {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
    body,
  };
}

/**
 * AWS Account REST-JSON (moto). moto does not verify signatures by default, but it routes on
 * the service named in the credential scope, so the header must look like a real SigV4 one.
 */
export function awsAccount(operation: 'getAlternateContact' | 'putAlternateContact', body: Record<string, string>): HttpRequest {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const text = JSON.stringify(body);
  return {
    method: 'POST',
    path: `/${operation}`,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      'x-amz-date': amzDate,
      authorization:
        `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${amzDate.slice(0, 8)}/us-east-1/account/aws4_request, ` +
        `SignedHeaders=content-type;host;x-amz-date, Signature=${randomBytes(32).toString('hex')}`,
    },
    body: text,
  };
}

/** The contact PutAlternateContact stores (and the moto probe sends). */
export const ALTERNATE_CONTACT = {
  AlternateContactType: 'BILLING',
  EmailAddress: 'billing@example.com',
  Name: 'Bench',
  PhoneNumber: '+15555550100',
  Title: 'CEO',
};

/** A JSON request to the admin API or the bare server. */
export function jsonRequest(method: HttpRequest['method'], path: string, body?: unknown): HttpRequest {
  const text = body === undefined ? '' : JSON.stringify(body);
  return {
    method,
    path,
    headers: text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {},
    body: text,
  };
}
