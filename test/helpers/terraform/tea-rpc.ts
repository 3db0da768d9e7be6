import { percentEncode } from '../../../src/protocol/percent.js';
import { v1Signature, v1StringToSign } from '../../../src/protocol/signing/v1.js';
import type { ClientKey } from '../clients.js';
import { KEYS } from '../keys.js';
import { freshNonce, send, timestamp } from '../raw.js';

/** The two products the alicloud provider reaches rdmc as (docs: README, "Terraform"). */
export const RM20 = '2020-03-31';
export const RDM22 = '2022-04-19';
/** STS, which `data "alicloud_account"` asks for the caller's account ID. */
export const STS = '2015-04-01';

/** Business parameters as the provider hands them to RpcPost: flat names, string-able values. */
export type RpcBody = Record<string, string | number | boolean | undefined>;

/** What tea's SDKError carries, as the provider's error helpers read it. */
export class TeaError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly data: Record<string, any>,
  ) {
    super(message);
  }
}

export type RpcPost = (version: string, action: string, body?: RpcBody) => Promise<Record<string, any>>;

/** tea's success test on a 200 body: no Code/Success field, or a success-valued one. */
function isSuccessBody(body: Record<string, any>): boolean {
  if ('Success' in body) return body.Success === true || body.Success === 'true';
  if ('Code' in body) return ['success', 'ok', '200', '0'].includes(String(body.Code).toLowerCase());
  return true;
}

/**
 * `client.RpcPost` of the alicloud provider (tea-rpc v1.2.0): a v1-signed POST to `/` whose
 * query holds only the common parameters and the signature, with every business parameter in
 * an application/x-www-form-urlencoded body; the signature covers both, merged. An HTTP
 * error status, or a 200 whose body has a failing Code, becomes a TeaError. A provider
 * configured by `assume_role` signs with the session's key and adds its token to the query
 * (signed, as every parameter is). An `https://` URL is called trusting `ca` (PEM) alone.
 */
export function teaRpc(url: string, key: ClientKey = KEYS.main, ca?: string): RpcPost {
  const host = new URL(url).host;
  return async (version, action, body = {}) => {
    const query: Array<[string, string]> = [
      ['Action', action],
      ['Format', 'json'],
      ['Timestamp', timestamp()],
      ['Version', version],
      ['SignatureNonce', freshNonce()],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['AccessKeyId', key.accessKeyId],
      ...(key.securityToken ? [['SecurityToken', key.securityToken] as [string, string]] : []),
    ];
    const form = Object.entries(body)
      .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
      .map(([k, v]): [string, string] => [k, String(v)]);
    query.push(['Signature', v1Signature(v1StringToSign('POST', [...query, ...form]), key.accessKeySecret)]);
    const encode = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
    const res = await send(url, {
      method: 'POST',
      path: `/?${encode(query)}`,
      headers: {
        host,
        'x-acs-version': version,
        'x-acs-action': action,
        'user-agent': 'AlibabaCloud (linux; amd64) Go/1.24 Core/1.5.2 TeaDSL/1 Terraform/1.289.0',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: encode(form),
    }, ca);
    if (res.json === undefined) throw new Error(`${action}: the body is not JSON: ${res.text}`);
    const data = res.json;
    if (res.status >= 400 || !isSuccessBody(data)) {
      throw new TeaError(String(data.Code ?? ''), res.status, `code: ${res.status}, ${data.Message} request id: ${data.RequestId}`, data);
    }
    return data;
  };
}
