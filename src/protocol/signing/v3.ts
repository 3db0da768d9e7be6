import { createHash, createHmac } from 'node:crypto';
import { canonicalPairs } from '../percent.js';

export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`; null when malformed. */
export function parseV3Authorization(header: string): V3Authorization | null {
  if (!header.startsWith(`${V3_ALGORITHM} `)) return null;
  const fields = new Map<string, string>();
  for (const part of header.slice(V3_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return null;
  return { accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

export interface V3Request {
  method: string;
  path: string;
  query: Array<[string, string]>;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}

/**
 * The canonical request of docs/reference/protocol.md section 5.3. Only the URL query is canonicalised;
 * a form body is covered by its hash alone.
 */
export function v3CanonicalRequest(req: V3Request): string {
  const headerLines = req.signedHeaders
    .map((name) => {
      const raw = req.headers[name];
      const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      return `${name}:${value.trim()}\n`;
    })
    .join('');
  return [
    req.method.toUpperCase(),
    req.path,
    canonicalPairs(req.query),
    headerLines,
    req.signedHeaders.join(';'),
    req.payloadHash,
  ].join('\n');
}

export function v3StringToSign(canonicalRequest: string): string {
  return `${V3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function v3Signature(stringToSign: string, secret: string): string {
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
