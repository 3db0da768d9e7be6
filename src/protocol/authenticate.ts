import { errors } from '../domain/errors.js';
import { signaturesEqual, type Credentials } from './credentials.js';
import { v1Signature, v1StringToSign } from './signing/v1.js';
import { parseV3Authorization, sha256Hex, v3CanonicalRequest, v3Signature, v3StringToSign } from './signing/v3.js';

const SKEW_MS = 15 * 60 * 1000;
/**
 * The nonce rule, for every store: a nonce is remembered for twice the timestamp window and a
 * second more (so a request is refused as a replay for as long as its timestamp would still be
 * accepted, see NONCE_TTL_MS), and is at most this long (SDKs send 32 or 64 hex characters,
 * others a 36-character UUID), which bounds what remembering costs.
 */
export const NONCE_MAX_LENGTH = 128;
// Printable ASCII, no space: room for any client's hex, UUID or token, and nothing a store
// cannot keep (PostgreSQL refuses NUL) nor a log could misread.
const NONCE_CHARS = /^[\x21-\x7e]+$/;
// A timestamp is accepted from `at - SKEW_MS` to `at + SKEW_MS`, both ends included, and a
// remembered nonce is expired from `expiresAt` on: with exactly twice the window, a request
// first seen at one end could be replayed at the other. The margin closes that millisecond
// and leaves a little room for nodes whose clocks differ.
const NONCE_TTL_MS = 2 * SKEW_MS + 1_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const V3_REQUIRED_HEADERS = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

/** The decoded wire request the authenticator sees. */
export interface WireRequest {
  method: string;
  path: string;
  query: Array<[string, string]>;
  form: Array<[string, string]>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface Authenticated {
  accessKeyId: string;
  accountId: string;
  action: string;
  version: string;
}

/** Where signature nonces are remembered: the database, so every node sees every nonce. */
export interface NonceMemory {
  /** Records a nonce until `expiresAt`; false when it is already recorded and live. */
  rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
}

export interface AuthenticatorDeps {
  credentials: Credentials;
  nonces: NonceMemory;
  /** Per-caller throttling: refuses a caller account past its rate (throws `Throttling.User`). */
  admit: (accountId: string) => void;
  now: () => number;
  isVersion: (version: string) => boolean;
  hasAction: (version: string, action: string) => boolean;
}

const header = (req: WireRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * Verifies a request signed with v1 (HMAC-SHA1) or v3 (ACS3-HMAC-SHA256), in the order of
 * docs/reference/protocol.md section 5.5: required fields, action and version, timestamp, key, signature,
 * and only then the nonce, so a forged request cannot burn a caller's nonces.
 */
export async function authenticate(req: WireRequest, deps: AuthenticatorDeps): Promise<Authenticated> {
  const authorization = header(req, 'authorization');
  if (authorization?.startsWith('ACS3-')) return verifyV3(req, authorization, deps);
  const params = new Map([...req.query, ...req.form]);
  if (params.has('Signature')) return verifyV1(req, params, deps);
  if (authorization) throw errors.incompleteSignature('');
  throw params.has('AccessKeyId') ? errors.missingSigningParameter('Signature') : errors.missingSigningParameter('AccessKeyId');
}

function checkActionAndVersion(action: string | undefined, version: string | undefined, deps: AuthenticatorDeps) {
  if (!action) throw errors.missingCommonParameter('Action');
  if (!version) throw errors.missingCommonParameter('Version');
  if (!deps.isVersion(version)) throw errors.invalidVersion();
  if (!deps.hasAction(version, action)) throw errors.actionNotFound();
  return { action, version };
}

function checkTimestamp(value: string, now: number): number {
  if (!TIMESTAMP.test(value)) throw errors.timestampFormat();
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw errors.timestampFormat();
  if (Math.abs(now - at) > SKEW_MS) throw errors.timestampExpired();
  return at;
}

function checkNonceShape(nonce: string): void {
  if (nonce.length > NONCE_MAX_LENGTH || !NONCE_CHARS.test(nonce)) throw errors.invalidNonce(NONCE_MAX_LENGTH);
}

async function checkNonce(deps: AuthenticatorDeps, accessKeyId: string, nonce: string, now: number): Promise<void> {
  const fresh = await deps.nonces.rememberNonce(accessKeyId, nonce, now + NONCE_TTL_MS, now);
  if (!fresh) throw errors.nonceUsed();
}

async function verifyV1(req: WireRequest, params: Map<string, string>, deps: AuthenticatorDeps): Promise<Authenticated> {
  for (const name of ['AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']) {
    if (!params.get(name)) throw errors.missingSigningParameter(name);
  }
  if (params.get('SignatureMethod') !== 'HMAC-SHA1') throw errors.invalidSignatureMethod();
  if (params.get('SignatureVersion') !== '1.0') throw errors.invalidSignatureVersion();
  checkNonceShape(params.get('SignatureNonce')!);
  const { action, version } = checkActionAndVersion(params.get('Action'), params.get('Version'), deps);
  const now = deps.now();
  checkTimestamp(params.get('Timestamp')!, now);
  if (params.has('SecurityToken')) throw errors.securityTokenUnsupported();
  const accessKeyId = params.get('AccessKeyId')!;
  const key = deps.credentials.lookup(accessKeyId);
  if (!key) throw errors.accessKeyNotFound();
  const stringToSign = v1StringToSign(req.method, [...req.query, ...req.form]);
  if (!signaturesEqual(v1Signature(stringToSign, key.accessKeySecret), params.get('Signature')!)) {
    throw errors.signatureDoesNotMatchV1(stringToSign);
  }
  // The caller is known only now; a throttled request writes no nonce.
  deps.admit(key.accountId);
  await checkNonce(deps, accessKeyId, params.get('SignatureNonce')!, now);
  return { accessKeyId, accountId: key.accountId, action, version };
}

async function verifyV3(req: WireRequest, authorization: string, deps: AuthenticatorDeps): Promise<Authenticated> {
  const auth = parseV3Authorization(authorization);
  if (!auth) throw errors.incompleteSignature('');
  for (const name of V3_REQUIRED_HEADERS) {
    if (!header(req, name)) throw errors.missingCommonParameter(name);
  }
  checkNonceShape(header(req, 'x-acs-signature-nonce')!);
  const { action, version } = checkActionAndVersion(header(req, 'x-acs-action'), header(req, 'x-acs-version'), deps);
  const now = deps.now();
  checkTimestamp(header(req, 'x-acs-date')!, now);
  if (header(req, 'x-acs-security-token')) throw errors.securityTokenUnsupported();
  const key = deps.credentials.lookup(auth.accessKeyId);
  if (!key) throw errors.accessKeyNotFound();

  const payloadHash = header(req, 'x-acs-content-sha256')!;
  const required = req.body.length > 0 && header(req, 'content-type') ? [...V3_REQUIRED_HEADERS, 'content-type'] : V3_REQUIRED_HEADERS;
  const canonical = v3CanonicalRequest({
    method: req.method,
    path: req.path,
    query: req.query,
    headers: req.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash,
  });
  const stringToSign = v3StringToSign(canonical);
  // Every header that decides what the request does must be covered by the signature.
  if (required.some((h) => !auth.signedHeaders.includes(h))) throw errors.incompleteSignature(stringToSign);
  if (sha256Hex(req.body) !== payloadHash.toLowerCase()) throw errors.contentHashMismatch();
  if (!signaturesEqual(v3Signature(stringToSign, key.accessKeySecret), auth.signature.toLowerCase())) {
    throw errors.signatureDoesNotMatchV3(stringToSign);
  }
  deps.admit(key.accountId);
  await checkNonce(deps, auth.accessKeyId, header(req, 'x-acs-signature-nonce')!, now);
  return { accessKeyId: auth.accessKeyId, accountId: key.accountId, action, version };
}
