import { errors } from '../domain/errors.js';
import type { Identity } from '../domain/identity.js';
import { hashToken, SECURITY_TOKEN, TEMPORARY_KEY_PREFIX, type TemporaryKey } from '../domain/temporary-keys.js';
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
  /** Who signed: the account's root, a RAM user of it, or a role session acting as it. */
  identity: Identity;
  action: string;
  version: string;
}

/** Where temporary keys are found: the database, so a session made on one node signs on every node. */
export interface TemporaryKeys {
  find(accessKeyId: string): Promise<TemporaryKey | null>;
  /** The domain's clock, which sessions expire by (time travel included). */
  now(): number;
}

/** Where signature nonces are remembered: the database, so every node sees every nonce. */
export interface NonceMemory {
  /** Records a nonce until `expiresAt`; false when it is already recorded and live. */
  rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
}

export interface AuthenticatorDeps {
  credentials: Credentials;
  temporaryKeys: TemporaryKeys;
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
  const accessKeyId = params.get('AccessKeyId')!;
  const signer = await findSigner(accessKeyId, params.get('SecurityToken'), deps);
  const stringToSign = v1StringToSign(req.method, [...req.query, ...req.form]);
  if (!signaturesEqual(v1Signature(stringToSign, signer.accessKeySecret), params.get('Signature')!)) {
    throw errors.signatureDoesNotMatchV1(stringToSign);
  }
  signer.afterSignature();
  // The caller is known only now; a throttled request writes no nonce.
  deps.admit(signer.identity.accountId);
  await checkNonce(deps, accessKeyId, params.get('SignatureNonce')!, now);
  return { accessKeyId, accountId: signer.identity.accountId, identity: signer.identity, action, version };
}

interface Signer {
  accessKeySecret: string;
  identity: Identity;
  /** The checks that only a signed request may learn the outcome of: the token's match, expiry and trust. */
  afterSignature(): void;
}

/**
 * The secret a request must be signed with, and who it makes the caller. An empty token
 * counts as none (one released SDK sends an empty `x-acs-security-token` with every request).
 * A temporary key needs its token; a configured key takes none. The token's shape is checked
 * before the database is asked, its match with the key only once the signature holds.
 */
async function findSigner(accessKeyId: string, token: string | undefined, deps: AuthenticatorDeps): Promise<Signer> {
  if (!accessKeyId.startsWith(TEMPORARY_KEY_PREFIX)) {
    if (token) throw SECURITY_TOKEN.test(token) ? errors.securityTokenMismatch() : errors.securityTokenMalformed();
    const key = deps.credentials.lookup(accessKeyId);
    if (!key) throw errors.accessKeyNotFound();
    return { ...key, afterSignature: () => undefined };
  }
  if (!token) throw errors.securityTokenMissing();
  if (!SECURITY_TOKEN.test(token)) throw errors.securityTokenMalformed();
  const session = await deps.temporaryKeys.find(accessKeyId);
  if (!session) throw errors.accessKeyNotFound();
  return {
    accessKeySecret: session.accessKeySecret,
    identity: session.identity,
    afterSignature() {
      if (!signaturesEqual(session.tokenHash, hashToken(token))) throw errors.securityTokenMismatch();
      if (deps.temporaryKeys.now() >= session.expiresAt) throw errors.securityTokenExpired();
      if (!session.trusted) throw errors.securityTokenRevoked();
    },
  };
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
  const token = header(req, 'x-acs-security-token');
  const signer = await findSigner(auth.accessKeyId, token, deps);

  const payloadHash = header(req, 'x-acs-content-sha256')!;
  const required = [
    ...V3_REQUIRED_HEADERS,
    ...(req.body.length > 0 && header(req, 'content-type') ? ['content-type'] : []),
    // The token decides who the caller is: it must be signed too (every SDK signs every x-acs- header).
    ...(token ? ['x-acs-security-token'] : []),
  ];
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
  if (!signaturesEqual(v3Signature(stringToSign, signer.accessKeySecret), auth.signature.toLowerCase())) {
    throw errors.signatureDoesNotMatchV3(stringToSign);
  }
  signer.afterSignature();
  deps.admit(signer.identity.accountId);
  await checkNonce(deps, auth.accessKeyId, header(req, 'x-acs-signature-nonce')!, now);
  return { accessKeyId: auth.accessKeyId, accountId: signer.identity.accountId, identity: signer.identity, action, version };
}
