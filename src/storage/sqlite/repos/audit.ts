import type { Db } from '../db.js';
import { listParam } from '../lists.js';
import { auditDriver, auditListStatements, auditListValues, toAuditRecord, type AuditRow } from '../../rows/audit.js';
import type { AuditRepo } from '../../store.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  insert: `INSERT INTO audit_records (at, request_id, identity_type, actor, access_key_id, account_id, peer, action, targets, status, code)
           VALUES (@at, @requestId, @identityType, @actor, @accessKeyId, @accountId, @peer, @action, @targets, @status, @code)`,
  insertTargets: 'INSERT INTO audit_targets (target_id, at, seq) SELECT value, ?, ? FROM json_each(?)',
  settle: 'UPDATE audit_records SET status = ?, code = ? WHERE seq = ?',
  list: auditListStatements((name) => `@${name}`),
};

export function auditRepo(db: Db): AuditRepo {
  const insert = db.prepare(statements.insert);
  const insertTargets = db.prepare(statements.insertTargets);
  const settle = db.prepare(statements.settle);
  const list = Object.fromEntries(Object.entries(statements.list).map(([driver, { text, params }]) => [driver, { statement: db.prepare(text), params }]));
  return {
    async insert(e) {
      const targets = listParam(e.targets);
      const seq = Number(insert.run({ ...e, targets }).lastInsertRowid);
      if (e.targets.length > 0) insertTargets.run(e.at, seq, targets);
      return seq;
    },
    async settle(seq, status, code) {
      settle.run(status, code, seq);
    },
    async list(q) {
      const { statement, params } = list[auditDriver(q)]!;
      const values = auditListValues(q);
      // SQLite has no boolean: the failures condition compares with 0 or 1.
      const named = Object.fromEntries(params.map((name) => [name, typeof values[name] === 'boolean' ? Number(values[name]) : values[name]]));
      return (statement.all(named) as AuditRow[]).map(toAuditRecord);
    },
  };
}
