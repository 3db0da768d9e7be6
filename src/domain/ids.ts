import { randomBytes, randomUUID } from 'node:crypto';
import { TEMPORARY_KEY_PREFIX } from './temporary-keys.js';

/** The source of every identifier rdmc hands out; injectable so tests can make them predictable. */
export interface IdSource {
  requestId(): string;
  directoryId(): string;
  rootFolderId(): string;
  folderId(): string;
  accountId(): string;
  contactId(): string;
  controlPolicyId(): string;
  token(): string;
  messageId(): string;
  /** An STS session's AccessKeyId (`STS.` and 28 letters and digits); its secret and token are never IDs. */
  temporaryAccessKeyId(): string;
  /** An invitation's ID: `h-` and 16 letters and digits. */
  handshakeId(): string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes drawn from the OS 4 KiB at a time: an ID needs about 16, and one system
 * call per ID was a tenth of a 100,000-account seed.
 */
const pool = { bytes: Buffer.alloc(0), next: 0 };
function randomByte(): number {
  if (pool.next >= pool.bytes.length) {
    pool.bytes = randomBytes(4096);
    pool.next = 0;
  }
  return pool.bytes[pool.next++]!;
}

function randomString(length: number, alphabet: string): string {
  let out = '';
  // 248 is the largest multiple of 62 below 256: rejecting above it keeps the draw uniform.
  while (out.length < length) {
    const b = randomByte();
    if (b < 248 || alphabet.length !== 62) out += alphabet[b % alphabet.length];
  }
  return out;
}

export const randomIds: IdSource = {
  requestId: () => randomUUID().toUpperCase(),
  directoryId: () => `rd-${randomString(6, ALNUM)}`,
  rootFolderId: () => `r-${randomString(6, ALNUM)}`,
  folderId: () => `fd-${randomString(10, ALNUM)}`,
  // Real member IDs are 16 digits and never start with 0.
  accountId: () => `${1 + (randomByte() % 9)}${randomString(15, '0123456789')}`,
  contactId: () => `c-${randomString(16, ALNUM)}`,
  controlPolicyId: () => `cp-${randomString(16, ALNUM)}`,
  token: () => randomBytes(32).toString('base64url'),
  messageId: () => randomUUID().toUpperCase(),
  temporaryAccessKeyId: () => `${TEMPORARY_KEY_PREFIX}${randomString(28, ALNUM)}`,
  handshakeId: () => `h-${randomString(16, ALNUM)}`,
};

/** Shapes of the IDs (docs/reference/api-notes.md section 2.4). */
export const idPatterns = {
  directory: /^rd-[A-Za-z0-9]{6}$/,
  rootFolder: /^r-[A-Za-z0-9]{6}$/,
  folder: /^fd-[A-Za-z0-9]{10}$/,
  account: /^\d{16}$/,
  contact: /^c-[A-Za-z0-9]{16}$/,
  // Alibaba's examples are `h-` and 16 characters (one is shorter): any length up to 32 is read.
  handshake: /^h-[A-Za-z0-9]{1,32}$/,
};

export type MemberKind = 'directory' | 'folder' | 'account';

/** What kind of object a binding target ID names, by its shape alone; null when it names none. */
export function memberKindOf(id: string): MemberKind | null {
  if (idPatterns.directory.test(id)) return 'directory';
  if (idPatterns.rootFolder.test(id) || idPatterns.folder.test(id)) return 'folder';
  if (idPatterns.account.test(id)) return 'account';
  return null;
}
