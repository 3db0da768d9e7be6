import { timingSafeEqual } from 'node:crypto';
import type { AccessKey } from '../config/schema.js';

/** The AccessKey table from configuration: which account each key acts as. */
export class Credentials {
  private readonly byId: Map<string, AccessKey>;

  constructor(keys: AccessKey[]) {
    this.byId = new Map(keys.map((k) => [k.accessKeyId, k]));
  }

  lookup(accessKeyId: string): AccessKey | undefined {
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
