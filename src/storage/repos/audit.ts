import type { AuditEntry } from '../../audit/entry.js';
import type { Executor } from '../executor.js';
import { auditDriver, auditListStatements, auditListValues, toAuditRecord, type AuditDriver, type AuditListParameter, type AuditRow } from '../rows/audit.js';
import { statement, type Dialect, type DialectName, type NoRow } from '../statement.js';
import type { AuditQuery, AuditRepo } from '../store.js';

/** A record's columns as parameters; `targets` is a JSON array on SQLite, a text[] on PostgreSQL. */
export const auditValues = (e: AuditEntry) => ({
  at: e.at, requestId: e.requestId, identityType: e.identityType, actor: e.actor, accessKeyId: e.accessKeyId, accountId: e.accountId,
  peer: e.peer, action: e.action, targets: e.targets as readonly string[], status: e.status, code: e.code,
});
type AuditValues = ReturnType<typeof auditValues>;

const COLUMNS = 'at, request_id, identity_type, actor, access_key_id, account_id, peer, action, targets, status, code';
const VALUES = (targets: string) => `:at, :requestId, :identityType, :actor, :accessKeyId, :accountId, :peer, :action, ${targets}, :status, :code`;

/** PostgreSQL must be told the type of a parameter it meets only in `IS NULL`; SQLite has no such casts. */
const TYPES: Record<AuditListParameter, string> = {
  from: 'bigint', beforeAt: 'bigint', beforeSeq: 'bigint', action: 'text', actor: 'text', target: 'text', failed: 'boolean', limit: 'int',
};
/** The values of the parameters one driver's statement takes (which differ by driver). */
type ListParams = Record<string, string | number | boolean | null>;
const listed = (driver: AuditDriver) =>
  statement<AuditRow, ListParams>(
    (d: Dialect) => auditListStatements((name) => (d.name === 'postgres' ? `:${name}::${TYPES[name]}` : `:${name}`))[driver],
  );

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  // PostgreSQL writes the record and its target rows in one statement (a data-modifying WITH,
  // which SQLite lacks: it runs insertTargets after, in-process). Its text is also sent inline
  // with a COMMIT (src/storage/postgres/audit-inline.ts).
  insert: statement<{ seq: number }, AuditValues>({
    sqlite: `INSERT INTO audit_records (${COLUMNS}) VALUES (${VALUES(':targets')}) RETURNING seq`,
    postgres: `WITH r AS (INSERT INTO audit_records (${COLUMNS}) VALUES (${VALUES(':targets::text[]')}) RETURNING seq, at),
      t AS (INSERT INTO audit_targets (target_id, at, seq) SELECT x, r.at, r.seq FROM r, unnest(:targets::text[]) AS x)
      SELECT seq FROM r`,
  }),
  insertTargets: statement<NoRow, { at: number; seq: number; targets: readonly string[] }>({
    sqlite: 'INSERT INTO audit_targets (target_id, at, seq) SELECT value, :at, :seq FROM json_each(:targets)',
  }),
  settle: statement<NoRow, { seq: number; status: number; code: string }>('UPDATE audit_records SET status = :status, code = :code WHERE seq = :seq'),
  list: { target: listed('target'), actor: listed('actor'), action: listed('action'), failed: listed('failed'), time: listed('time') },
};
const s = statements;

/** A page's statement (by its driving index) and the values of the parameters that statement takes. */
export function auditList(q: AuditQuery, dialect: DialectName) {
  const statement = s.list[auditDriver(q)];
  const values = auditListValues(q);
  const params: ListParams = Object.fromEntries(statement.for(dialect).names.map((name) => [name, values[name as AuditListParameter]]));
  return { statement, params };
}

export function auditRepo(x: Executor): AuditRepo {
  return {
    async insert(e) {
      const { seq } = (await x.one(s.insert, auditValues(e)))!;
      if (x.dialect === 'sqlite' && e.targets.length > 0) await x.run(s.insertTargets, { at: e.at, seq, targets: e.targets });
      return seq;
    },
    async settle(seq, status, code) {
      await x.run(s.settle, { seq, status, code });
    },
    async list(q) {
      const { statement, params } = auditList(q, x.dialect);
      return (await x.all(statement, params)).map(toAuditRecord);
    },
  };
}
