import { errors } from './errors.js';
import { idPatterns } from './ids.js';
import { checkPolicyGrammar } from './policy-grammar.js';

/**
 * AssumeRole's parameter rules (docs/reference/identity.md, "AssumeRole"), each refusing with
 * the documented InvalidParameter code.
 */

/** `acs:ram::<16-digit account>:role/<role name>`; RAM role names are 1 to 64 letters, digits, `.` and `-`. */
const ROLE_ARN = /^acs:ram::(\d{16}):role\/([A-Za-z0-9.-]{1,64})$/;
/** 2 to 64 letters, digits, `.`, `@`, `-` and `_` (the current documentation; an older page said 32). */
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
// No `:`, so the reserved prefixes Alibaba names (`acs:`, `aliyun:`, `alibabacloud:`) are refused too.
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

/** A session lasts 15 minutes at least; the default and the most are the role's (RDMC_STS_MAX_SESSION_SECONDS). */
export const MIN_SESSION_SECONDS = 900;
export const DEFAULT_SESSION_SECONDS = 3600;
/** The longest a role may allow (RAM's MaxSessionDuration ceiling, 12 hours). */
export const MAX_SESSION_SECONDS_CEILING = 43_200;
/** Session policies are counted in bytes of UTF-8. */
export const SESSION_POLICY_MAX_BYTES = 2048;

export function parseRoleArn(arn: string): { accountId: string; roleName: string } {
  const m = ROLE_ARN.exec(arn);
  if (!m || !idPatterns.account.test(m[1]!)) throw errors.stsRoleArn();
  return { accountId: m[1]!, roleName: m[2]! };
}

export function checkSessionName(name: string): void {
  if (!SESSION_NAME.test(name)) throw errors.stsRoleSessionName();
}

/**
 * `DurationSeconds` as given (digits only) within 900 to the role's maximum. The message keeps
 * Alibaba's "15min/1hr" whatever the configured maximum, as Alibaba's does.
 */
export function sessionSeconds(given: string | undefined, maxSeconds: number): number {
  if (given === undefined) return Math.min(DEFAULT_SESSION_SECONDS, maxSeconds);
  // Leading zeros are digits like any other; a number is read only from a short enough text.
  const digits = given.replace(/^0+(?=\d)/, '');
  if (!/^\d{1,6}$/.test(digits)) throw errors.stsDurationSeconds();
  const seconds = Number(digits);
  if (seconds < MIN_SESSION_SECONDS || seconds > maxSeconds) throw errors.stsDurationSeconds();
  return seconds;
}

export function checkSessionPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > SESSION_POLICY_MAX_BYTES) throw errors.stsPolicySize();
  if (!checkPolicyGrammar(policy).ok) throw errors.stsPolicyGrammar();
}

export function checkExternalId(id: string): void {
  if (!EXTERNAL_ID.test(id)) throw errors.stsExternalId();
}

export function checkSourceIdentity(identity: string): void {
  if (!SOURCE_IDENTITY.test(identity)) throw errors.stsSourceIdentity();
}
