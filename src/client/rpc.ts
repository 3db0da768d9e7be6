import { randomBytes } from 'node:crypto';
import { RESOURCE_DIRECTORY_MASTER_VERSION as API_VERSION } from '../domain/api-versions.js';
import { percentEncode } from '../protocol/percent.js';
import { v1Signature, v1StringToSign } from '../protocol/signing/v1.js';
import { sha256Hex, V3_ALGORITHM, v3CanonicalRequest, v3Signature, v3StringToSign } from '../protocol/signing/v3.js';

/**
 * A small RPC client for rdmc (and the API it copies), signing with the same modules the
 * server verifies with: what `rdmc call` sends, and what a test suite can use without an
 * Alibaba SDK.
 */

export interface ClientOptions {
  /** `http://127.0.0.1:8080`. */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** `v3` (ACS3-HMAC-SHA256, the default) or `v1` (HMAC-SHA1, as pop-core signs). */
  signature?: 'v3' | 'v1';
  /** The API version, which names the product: 2022-04-19 (the default), 2020-03-31 or 2015-04-01. */
  version?: string;
}

export type ParamValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/** The error answer of an action: `Code` and `Message` as the server sent them. */
export class RpcError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(`${code}: ${message}`);
    this.name = 'RpcError';
  }
}

/** Parameters as they go on the wire: a list becomes `Name.1`, `Name.2`…, as the SDKs send it. */
export function wireParams(params: Record<string, ParamValue>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) value.forEach((item, i) => pairs.push([`${name}.${i + 1}`, String(item)]));
    else pairs.push([name, String(value)]);
  }
  return pairs;
}

export interface SignedRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

const formBody = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
/** `YYYY-MM-DDTHH:mm:ssZ`, the form both signature versions require. */
const isoSeconds = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A POST with the action's parameters in a form body, signed with v3 or v1. */
export function signRequest(opts: ClientOptions, action: string, params: Record<string, ParamValue>, at = new Date()): SignedRequest {
  const nonce = randomBytes(16).toString('hex');
  const contentType = 'application/x-www-form-urlencoded';
  const version = opts.version ?? API_VERSION;
  if (opts.signature === 'v1') {
    const pairs: Array<[string, string]> = [
      ['Action', action],
      ['Version', version],
      ['Format', 'JSON'],
      ['AccessKeyId', opts.accessKeyId],
      ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'],
      ['SignatureNonce', nonce],
      ['Timestamp', isoSeconds(at)],
      ...wireParams(params),
    ];
    pairs.push(['Signature', v1Signature(v1StringToSign('POST', pairs), opts.accessKeySecret)]);
    return { method: 'POST', path: '/', headers: { 'content-type': contentType }, body: formBody(pairs) };
  }
  const body = formBody(wireParams(params));
  const headers: Record<string, string> = {
    'content-type': contentType,
    host: new URL(opts.endpoint).host,
    'x-acs-action': action,
    'x-acs-content-sha256': sha256Hex(body),
    'x-acs-date': isoSeconds(at),
    'x-acs-signature-nonce': nonce,
    'x-acs-version': version,
  };
  const signedHeaders = Object.keys(headers).sort();
  const canonical = v3CanonicalRequest({ method: 'POST', path: '/', query: [], headers, signedHeaders, payloadHash: headers['x-acs-content-sha256']! });
  const signature = v3Signature(v3StringToSign(canonical), opts.accessKeySecret);
  headers.authorization = `${V3_ALGORITHM} Credential=${opts.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  return { method: 'POST', path: '/', headers, body };
}

/** Calls one action; resolves to the JSON answer, rejects with an RpcError carrying the server's Code. */
export async function callAction(opts: ClientOptions, action: string, params: Record<string, ParamValue> = {}): Promise<Record<string, any>> {
  const req = signRequest(opts, action, params);
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(new URL(req.path, opts.endpoint), { method: req.method, headers, body: req.body });
  const text = await res.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text) as Record<string, any>;
  } catch {
    throw new RpcError(res.status, 'InvalidResponse', `HTTP ${res.status} with a body that is not JSON`, undefined);
  }
  if (!res.ok) {
    throw new RpcError(res.status, String(body.Code ?? `HTTP${res.status}`), String(body.Message ?? ''), body.RequestId);
  }
  return body;
}
