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

/** A list statement's text and the names of its parameters, in the order of their numbers. */
export interface AuditListStatement {
  text: string;
  params: AuditListParameter[];
}

export type AuditListParameter = 'from' | 'beforeAt' | 'beforeSeq' | 'action' | 'actor' | 'target' | 'failed' | 'limit';

/** A query's values by parameter name. */
export const auditListValues = (q: AuditQuery): Record<AuditListParameter, unknown> => ({
  from: q.from, beforeAt: q.before.at, beforeSeq: q.before.seq, action: q.action, actor: q.actor, target: q.target, failed: q.failed, limit: q.limit,
});

/**
 * The statements that list the trail, one per driving index, written once for both dialects:
 * `spell(name, n)` writes the n-th parameter of a statement (numbered in order of first use)
 * as the dialect does. The driving condition and the keyset range read the index in order
 * (newest first, no sort); the other conditions filter the rows it yields.
 */
export function auditListStatements(spell: (name: AuditListParameter, n: number) => string): Record<AuditDriver, AuditListStatement> {
  const statement = (from: string, k: string, driving: (p: (name: AuditListParameter) => string) => string, skip: AuditDriver): AuditListStatement => {
    const params: AuditListParameter[] = [];
    const p = (name: AuditListParameter) => {
      if (!params.includes(name)) params.push(name);
      return spell(name, params.indexOf(name) + 1);
    };
    const conditions = [
      driving(p),
      `${k}.at >= ${p('from')}`,
      `(${k}.at, ${k}.seq) < (${p('beforeAt')}, ${p('beforeSeq')})`,
      skip !== 'action' && `(${p('action')} IS NULL OR r.action = ${p('action')})`,
      skip !== 'actor' && `(${p('actor')} IS NULL OR r.actor = ${p('actor')})`,
      `(${p('failed')} IS NULL OR (r.status >= 400) = ${p('failed')})`,
    ];
    const text = `SELECT r.* FROM ${from} WHERE ${conditions.filter(Boolean).join(' AND ')} ORDER BY ${k}.at DESC, ${k}.seq DESC LIMIT ${p('limit')}`;
    return { text, params };
  };
  return {
    target: statement('audit_targets t JOIN audit_records r ON r.seq = t.seq', 't', (p) => `t.target_id = ${p('target')}`, 'target'),
    actor: statement('audit_records r', 'r', (p) => `r.actor = ${p('actor')}`, 'actor'),
    action: statement('audit_records r', 'r', (p) => `r.action = ${p('action')}`, 'action'),
    failed: statement('audit_records r', 'r', () => 'r.status >= 400', 'failed'),
    time: statement('audit_records r', 'r', () => 'TRUE', 'time'),
  };
}
