import { timingSafeEqual } from 'node:crypto';
import type { AccessKey } from '../config/schema.js';
import { configuredIdentity, type ConfiguredIdentity, type Identity, type RamUserIdentity, type RootIdentity } from '../domain/identity.js';

/** A configured key: its secret, and who it is. */
export interface KeyIdentity {
  accessKeySecret: string;
  identity: Identity;
}

/** Who a configured key is: its account's root, or the RAM user its fourth field names. */
export const identityOfKey = (k: AccessKey): RootIdentity | RamUserIdentity =>
  k.userName === undefined ? { type: 'Account', accountId: k.accountId } : { type: 'RAMUser', accountId: k.accountId, userName: k.userName };

/** Who each configured key is, in configuration order, without its secret: what state exports and the console list. */
export const configuredIdentities = (keys: AccessKey[]): ConfiguredIdentity[] => keys.map((k) => configuredIdentity(k.accessKeyId, identityOfKey(k)));

/** The AccessKey table from configuration: which account, and which identity of it, each key acts as. */
export class Credentials {
  private readonly byId: Map<string, KeyIdentity>;

  constructor(keys: AccessKey[]) {
    this.byId = new Map(keys.map((k) => [k.accessKeyId, { accessKeySecret: k.accessKeySecret, identity: identityOfKey(k) }]));
  }

  lookup(accessKeyId: string): KeyIdentity | undefined {
    return this.byId.get(accessKeyId);
  }
}

/** Compares two signatures without leaking through timing how many leading bytes matched. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}
