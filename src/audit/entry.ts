/**
 * One audit record: who changed what, when, and how it ended. The shape is the same on both
 * stores, in the log line and (PascalCase) in the admin API; docs/operations.md, Audit trail.
 */

import { CONTROL_CHARACTERS } from '../domain/text.js';

/**
 * How the caller proved who it is: a request signed with a configured key (an account's or a
 * RAM user's) or with an STS session's temporary key, the admin token, a loopback peer without
 * a token, a verification link's secret.
 */
export type IdentityType = 'access-key' | 'sts-session' | 'token' | 'loopback' | 'link';

export interface AuditEntry {
  /** When the request arrived, on the domain's (injected) clock. */
  at: number;
  requestId: string;
  identityType: IdentityType;
  /** The filterable "who": the AccessKeyId of a signed request, else the identity type. */
  actor: string;
  accessKeyId: string | null;
  accountId: string | null;
  /** The TCP peer's address. */
  peer: string | null;
  /** The RPC action, `METHOD /route` of the admin API (IDs as `{Id}`), or `ConfirmVerificationLink`. */
  action: string;
  /** IDs of the objects named or created (ContactId, AccountId, FolderId, directory...), never a secret. */
  targets: string[];
  /** 200 for success, else the HTTP status answered. */
  status: number;
  /** The error code; '' for success. */
  code: string;
}

/** An entry as stored, with its place in the order of records (its keyset cursor). */
export interface AuditRecord extends AuditEntry {
  seq: number;
}

/** Bounds of a record: a record costs at most about 4 KiB, whatever a request carried. */
export const AUDIT_BOUNDS = { targets: 20, id: 128, action: 160, text: 128 } as const;

/** Every control character (the rule of src/domain/text.ts, global to replace them all): a record keeps what a refused request sent, and PostgreSQL cannot store NUL. */
const CONTROLS = new RegExp(CONTROL_CHARACTERS.source, 'g');

/** Text cut to `max`, its control characters shown as U+FFFD. */
const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text).replace(CONTROLS, '\uFFFD');
const cutOrNull = (text: string | null, max: number) => (text === null ? null : cut(text, max));

/** The entry within `AUDIT_BOUNDS`: targets de-duplicated, the first 20 kept, each field cut to its length, no control character. */
export function bounded(entry: AuditEntry): AuditEntry {
  const targets = [...new Set(entry.targets.filter((t) => t !== '').map((t) => cut(t, AUDIT_BOUNDS.id)))].slice(0, AUDIT_BOUNDS.targets);
  return {
    ...entry,
    requestId: cut(entry.requestId, AUDIT_BOUNDS.text),
    actor: cut(entry.actor, AUDIT_BOUNDS.text),
    accessKeyId: cutOrNull(entry.accessKeyId, AUDIT_BOUNDS.text),
    accountId: cutOrNull(entry.accountId, AUDIT_BOUNDS.text),
    peer: cutOrNull(entry.peer, AUDIT_BOUNDS.text),
    action: cut(entry.action, AUDIT_BOUNDS.action),
    targets,
    code: cut(entry.code, AUDIT_BOUNDS.text),
  };
}

export const succeeded = (entry: Pick<AuditEntry, 'status'>) => entry.status < 400;
