import { createHash, randomBytes } from 'node:crypto';
import type { Identity } from './identity.js';

/** Temporary AccessKeyIds (AssumeRole's) start with this; configured keys may not (src/config/settings.ts). */
export const TEMPORARY_KEY_PREFIX = 'STS.';

/** The security token AssumeRole hands out: `CAIS` and 128 base64url characters (src/services/sts.ts). */
export const SECURITY_TOKEN = /^CAIS[A-Za-z0-9_-]{128}$/;

/**
 * A session's secret and token: secrets, so drawn from the OS each time, never from the
 * injectable (and in tests predictable) ID source, and never noted in the audit trail.
 */
export const newSessionSecrets = () => ({
  accessKeySecret: randomBytes(33).toString('base64url'),
  securityToken: `CAIS${randomBytes(96).toString('base64url')}`,
});

/** Tokens are kept and compared as their SHA-256, never as given. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A temporary key as a request signed with it needs it: the session's secret, token, identity, expiry and trust. */
export interface TemporaryKey {
  accessKeySecret: string;
  tokenHash: string;
  identity: Identity;
  expiresAt: number;
  /** False once the role's account left the directory whose management account assumed it. */
  trusted: boolean;
}
