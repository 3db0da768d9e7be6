import type { AuditRecord, IdentityType } from '../../audit/entry.js';
import type { AuditQuery } from '../store.js';

/** An `audit_records` row as both dialects return it: SQLite keeps the targets as JSON text, PostgreSQL as text[]. */
export interface AuditRow {
  seq: number;
  at: number;
  request_id: string;
  identity_type: IdentityType;
  actor: string;
  access_key_id: string | null;
  account_id: string | null;
  peer: string | null;
  action: string;
  targets: string | string[];
  status: number;
  code: string;
}

export const toAuditRecord = (r: AuditRow): AuditRecord => ({
  seq: r.seq,
  at: r.at,
  requestId: r.request_id,
  identityType: r.identity_type,
  actor: r.actor,
  accessKeyId: r.access_key_id,
  accountId: r.account_id,
  peer: r.peer,
  action: r.action,
  targets: typeof r.targets === 'string' ? (JSON.parse(r.targets) as string[]) : r.targets,
  status: r.status,
  code: r.code,
});

/** Which index a page of the trail reads: its most selective condition's, in this order. */
export type AuditDriver = 'target' | 'actor' | 'action' | 'failed' | 'time';

export function auditDriver(q: AuditQuery): AuditDriver {
  if (q.target !== null) return 'target';
  if (q.actor !== null) return 'actor';
  if (q.action !== null) return 'action';
  return q.failed === true ? 'failed' : 'time';
}

export type AuditListParameter = 'from' | 'beforeAt' | 'beforeSeq' | 'action' | 'actor' | 'target' | 'failed' | 'limit';

/** A query's values by parameter name. */
export const auditListValues = (q: AuditQuery): Record<AuditListParameter, string | number | boolean | null> => ({
  from: q.from, beforeAt: q.before.at, beforeSeq: q.before.seq, action: q.action, actor: q.actor, target: q.target, failed: q.failed, limit: q.limit,
});

/**
 * The statements that list the trail, one per driving index, written once for both dialects:
 * `p(name)` writes a parameter as the dialect does. The driving condition and the keyset range
 * read the index in order (newest first, no sort); the other conditions filter the rows it yields.
 */
export function auditListStatements(p: (name: AuditListParameter) => string): Record<AuditDriver, string> {
  const statement = (from: string, k: string, driving: string, skip: AuditDriver): string => {
    const conditions = [
      driving,
      `${k}.at >= ${p('from')}`,
      `(${k}.at, ${k}.seq) < (${p('beforeAt')}, ${p('beforeSeq')})`,
      skip !== 'action' && `(${p('action')} IS NULL OR r.action = ${p('action')})`,
      skip !== 'actor' && `(${p('actor')} IS NULL OR r.actor = ${p('actor')})`,
      `(${p('failed')} IS NULL OR (r.status >= 400) = ${p('failed')})`,
    ];
    return `SELECT r.* FROM ${from} WHERE ${conditions.filter(Boolean).join(' AND ')} ORDER BY ${k}.at DESC, ${k}.seq DESC LIMIT ${p('limit')}`;
  };
  return {
    target: statement('audit_targets t JOIN audit_records r ON r.seq = t.seq', 't', `t.target_id = ${p('target')}`, 'target'),
    actor: statement('audit_records r', 'r', `r.actor = ${p('actor')}`, 'actor'),
    action: statement('audit_records r', 'r', `r.action = ${p('action')}`, 'action'),
    failed: statement('audit_records r', 'r', 'r.status >= 400', 'failed'),
    time: statement('audit_records r', 'r', 'TRUE', 'time'),
  };
}
