import { randomBytes } from 'node:crypto';
import type { SigningKey as AccessKey } from '../../test/helpers/keys.js';
import { v1Request, v3Request } from '../../test/helpers/raw.js';
import type { HttpRequest } from './http.js';

/**
 * Request builders for the load generator. rdmc's are the tests' own signed builders
 * (test/helpers/raw.ts: a fresh nonce and timestamp for every request, through the
 * project's signing modules), shaped for the generator's sender.
 */

export type { SigningKey as AccessKey } from '../../test/helpers/keys.js';

export type Params = Record<string, string | string[]>;

/** `Name.1`, `Name.2`... for arrays, as every client flattens them. */
function flatten(params: Params): Array<[string, string]> {
  return Object.entries(params).flatMap(([name, value]): Array<[string, string]> =>
    Array.isArray(value) ? value.map((v, i) => [`${name}.${i + 1}`, v]) : [[name, value]],
  );
}

/**
 * A key to sign with: a configured key, or an STS session's temporary key with its security
 * token, which travels in `x-acs-security-token` and is signed like every `x-acs-` header.
 */
export type SigningKey = AccessKey & { securityToken?: string };

/** v3 (ACS3-HMAC-SHA256) as openapi-core sends it: POST, parameters in the query, empty body; `version` the product's (default 2022-04-19). */
export function signedV3(host: string, key: SigningKey, action: string, params: Params = {}, version?: string): HttpRequest {
  const headers: Record<string, string> = key.securityToken ? { 'x-acs-security-token': key.securityToken } : {};
  const r = v3Request(host, { key, action, version, query: Object.fromEntries(flatten(params)), headers });
  return { method: 'POST', path: r.path, headers: { ...r.headers, accept: 'application/json', 'content-length': '0' }, body: '' };
}

/** v1 (HMAC-SHA1) as pop-core sends it with `{method:'POST'}`: every parameter in a form body. */
export function signedV1Form(key: AccessKey, action: string, params: Params = {}): HttpRequest {
  const r = v1Request({ key, action, params: Object.fromEntries(flatten(params)), method: 'POST' });
  const body = String(r.body);
  return { method: 'POST', path: r.path, headers: { ...r.headers, 'content-length': String(Buffer.byteLength(body)) }, body };
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
