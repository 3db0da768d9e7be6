import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { canonicalPairs, percentEncode } from '../../src/protocol/percent.js';
import { v1Signature, v1StringToSign } from '../../src/protocol/signing/v1.js';
import { sha256Hex, v3CanonicalRequest, v3Signature, v3StringToSign } from '../../src/protocol/signing/v3.js';
import { KEYS, type SigningKey } from './keys.js';

/**
 * Hand-signed requests sent with node:http, for the protocol tests the real clients cannot
 * express: an old timestamp, a reused nonce, a wrong secret, a missing field, an extra
 * header. Signing goes through the project's own signing modules, which the unit tests pin
 * to the vectors of docs/reference/protocol.md section 5.
 */

export const API_VERSION = '2022-04-19';

export interface RawRequest {
  method: string;
  /** Path and query, as they go on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body; undefined when the body is not JSON. */
  json: Record<string, any> | undefined;
}

/** `YYYY-MM-DDTHH:mm:ssZ`, `offsetMs` away from now. */
export function timestamp(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const freshNonce = () => randomBytes(16).toString('hex');

const encodePairs = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');

export interface V1Options {
  action?: string;
  params?: Record<string, string>;
  method?: 'GET' | 'POST';
  key?: SigningKey;
  /** Signs with this secret instead of the key's own. */
  secret?: string;
  timestamp?: string;
  nonce?: string;
  /** Common parameters to leave out (they are not signed either). */
  omit?: string[];
  /** Changes made after signing, so the signature no longer covers them. */
  tamper?: Record<string, string>;
}

/** A signature v1 request as pop-core sends it: GET with everything in the query, or POST with a form body. */
export function v1Request(opts: V1Options = {}): RawRequest {
  const key = opts.key ?? KEYS.main;
  const params: Record<string, string> = {
    Action: opts.action ?? 'GetResourceDirectory',
    Version: API_VERSION,
    Format: 'JSON',
    AccessKeyId: key.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? freshNonce(),
    Timestamp: opts.timestamp ?? timestamp(),
    ...opts.params,
  };
  for (const name of opts.omit ?? []) delete params[name];
  const method = opts.method ?? 'GET';
  const pairs = Object.entries(params);
  if (!opts.omit?.includes('Signature')) {
    pairs.push(['Signature', v1Signature(v1StringToSign(method, pairs), opts.secret ?? key.accessKeySecret)]);
  }
  const signed = new Map([...pairs, ...Object.entries(opts.tamper ?? {})]);
  const encoded = encodePairs([...signed]);
  return method === 'GET'
    ? { method, path: `/?${encoded}`, headers: {} }
    : { method, path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encoded };
}

/**
 * A signature v1 POST signed over exactly these pairs, repeats and all, `query` sent in the
 * query string and `form` with the common parameters in the form body: the shape of a
 * request after someone on the path has reordered pairs or moved them between the two,
 * which the signature (over the pairs sorted, wherever they travel) does not notice.
 */
export function v1Split(query: Array<[string, string]>, form: Array<[string, string]>, key: SigningKey = KEYS.main): RawRequest {
  const common: Array<[string, string]> = [
    ['Version', API_VERSION], ['Format', 'JSON'], ['AccessKeyId', key.accessKeyId], ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'], ['SignatureNonce', freshNonce()], ['Timestamp', timestamp()],
  ];
  const signature = v1Signature(v1StringToSign('POST', [...common, ...query, ...form]), key.accessKeySecret);
  return {
    method: 'POST',
    path: query.length ? `/?${encodePairs(query)}` : '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodePairs([...common, ...form, ['Signature', signature]]),
  };
}

export interface V3Options {
  action?: string;
  version?: string;
  /** Query parameters; as pairs, a name may repeat. */
  query?: Record<string, string> | Array<[string, string]>;
  /** A form body (its parameters are covered by the payload hash only). */
  form?: Record<string, string> | Array<[string, string]>;
  key?: SigningKey;
  secret?: string;
  date?: string;
  nonce?: string;
  /** Extra headers, signed when their name starts with `x-acs-`. */
  headers?: Record<string, string>;
  /** Headers to leave out entirely. */
  omit?: string[];
  /** Headers sent but left out of SignedHeaders. */
  unsigned?: string[];
  /** Header values changed after signing. */
  tamper?: Record<string, string>;
}

/** A signature v3 (ACS3-HMAC-SHA256) request as openapi-client / openapi-core send it. */
export function v3Request(host: string, opts: V3Options = {}): RawRequest {
  const key = opts.key ?? KEYS.main;
  const pairs = (given: V3Options['query']) => (Array.isArray(given) ? given : Object.entries(given ?? {}));
  const body = opts.form ? encodePairs(pairs(opts.form)) : '';
  const headers: Record<string, string> = {
    host,
    'x-acs-action': opts.action ?? 'GetResourceDirectory',
    'x-acs-version': opts.version ?? API_VERSION,
    'x-acs-date': opts.date ?? timestamp(),
    'x-acs-signature-nonce': opts.nonce ?? freshNonce(),
    'x-acs-content-sha256': sha256Hex(body),
    ...(opts.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...opts.headers,
  };
  for (const name of opts.omit ?? []) delete headers[name];
  const query = pairs(opts.query);
  const signedHeaders = Object.keys(headers)
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    .filter((h) => !opts.unsigned?.includes(h))
    .sort();
  const canonical = v3CanonicalRequest({ method: 'POST', path: '/', query, headers, signedHeaders, payloadHash: headers['x-acs-content-sha256'] ?? '' });
  const signature = v3Signature(v3StringToSign(canonical), opts.secret ?? key.accessKeySecret);
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${key.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
  Object.assign(headers, opts.tamper);
  return { method: 'POST', path: query.length ? `/?${canonicalPairs(query)}` : '/', headers, body };
}

/**
 * Sends a request to the server at `url` exactly as built (no header is added but Host when
 * absent); to an `https://` URL over TLS, trusting the certificate authority `ca` (PEM) alone.
 */
export function send(url: string, req: RawRequest, ca?: string): Promise<RawResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (req.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['content-length'] = String(Buffer.byteLength(req.body));
    }
    const outgoing = (secure ? httpsRequest : request)(
      { host: target.hostname, port: target.port, method: req.method, path: req.path, headers, agent: false, ...(secure && { ca }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, any> | undefined;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** The host header a v3 request to `url` must sign. */
export const hostOf = (url: string) => new URL(url).host;
