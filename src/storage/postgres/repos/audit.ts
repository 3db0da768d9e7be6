import pg from 'pg';
import type { AuditEntry } from '../../../audit/entry.js';
import { auditDriver, auditListStatements, auditListValues, toAuditRecord, type AuditDriver, type AuditListParameter, type AuditRow } from '../../rows/audit.js';
import type { AuditRepo } from '../../store.js';
import { sql, type Queryable, type Statement } from '../sql.js';

const TYPES: Record<AuditListParameter, string> = {
  from: 'bigint', beforeAt: 'bigint', beforeSeq: 'bigint', action: 'text', actor: 'text', target: 'text', failed: 'boolean', limit: 'int',
};

/** The record and its target rows in one statement; `$1`…`$11` as `entryValues` orders them. */
const INSERT = `WITH r AS (
    INSERT INTO audit_records (at, request_id, identity_type, actor, access_key_id, account_id, peer, action, targets, status, code)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10, $11) RETURNING seq, at),
  t AS (INSERT INTO audit_targets (target_id, at, seq) SELECT x, r.at, r.seq FROM r, unnest($9::text[]) AS x)
  SELECT seq FROM r`;

/** Exported for the contract suite's plan checks. */
export const statements = {
  insert: sql<{ seq: number }>(INSERT),
  settle: sql('UPDATE audit_records SET status = $2, code = $3 WHERE seq = $1'),
  list: Object.fromEntries(
    Object.entries(auditListStatements((name, n) => `$${n}::${TYPES[name]}`)).map(([driver, { text, params }]) => [driver, { statement: sql<AuditRow>(text), params }]),
  ) as Record<AuditDriver, { statement: Statement<AuditRow>; params: AuditListParameter[] }>,
};

const entryValues = (e: AuditEntry) => [e.at, e.requestId, e.identityType, e.actor, e.accessKeyId, e.accountId, e.peer, e.action, e.targets, e.status, e.code];

/** A value as SQL text: only for `inlineAuditInsert`, whose values are strings, numbers, null and string arrays. */
function literal(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return String(Math.trunc(value));
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]`;
  return pg.escapeLiteral(String(value));
}

/**
 * The insert as one text with its values written in (escaped by the driver's own
 * `escapeLiteral`): sent with the COMMIT of the transaction that carries the record, as one
 * simple query, so the record costs no round trip of its own (src/storage/postgres/db.ts).
 */
export function inlineAuditInsert(e: AuditEntry): string {
  const values = entryValues(e);
  return INSERT.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]));
}

export function auditRepo(q: Queryable): AuditRepo {
  return {
    async insert(e) {
      return (await statements.insert.one(q, entryValues(e)))!.seq;
    },
    async settle(seq, status, code) {
      await statements.settle.run(q, [seq, status, code]);
    },
    async list(query) {
      const { statement, params } = statements.list[auditDriver(query)];
      const values = auditListValues(query);
      return (await statement.all(q, params.map((name) => values[name]))).map(toAuditRecord);
    },
  };
}
