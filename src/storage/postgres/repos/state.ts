import { KEPT_BY_WIPE, type StateRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  directory: sql<{ id: string }>('SELECT id FROM directories WHERE id = ANY($1::text[])'),
  folder: sql<{ id: string }>('SELECT id FROM folders WHERE id = ANY($1::text[])'),
  account: sql<{ id: string }>('SELECT id FROM accounts WHERE id = ANY($1::text[])'),
  contact: sql<{ id: string }>('SELECT id FROM contacts WHERE id = ANY($1::text[])'),
  accountNames: sql<{ account_name: string }>('SELECT account_name FROM accounts WHERE account_name = ANY($1::text[])'),
  tables: sql<{ name: string }>(
    "SELECT format('%I', tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL($1::text[])",
  ),
  references: sql<{ child: string; parent: string }>(
    `SELECT format('%I', c.relname) AS child, format('%I', p.relname) AS parent
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace AND k.conrelid <> k.confrelid`,
  ),
};
const s = statements;

/** Tables in an order that deletes every referencing table before the tables it references. */
function childrenFirst(tables: string[], references: Array<{ child: string; parent: string }>): string[] {
  const order: string[] = [];
  for (let left = new Set(tables); left.size > 0; ) {
    const free = [...left].filter((t) => !references.some((r) => r.parent === t && r.child !== t && left.has(r.child)));
    // A cycle of references (none today) would leave no table free: delete the rest as they come.
    for (const t of free.length > 0 ? free : [...left]) {
      order.push(t);
      left.delete(t);
    }
  }
  return order;
}

export function stateRepo(q: Queryable): StateRepo {
  return {
    // DELETE, not TRUNCATE: TRUNCATE locks every table against readers until the commit, so
    // other tenants could read nothing while an import runs; DELETE lets them read the rows
    // as they were until it commits.
    async wipe() {
      const tables = (await s.tables.all(q, [KEPT_BY_WIPE])).map((t) => t.name);
      for (const table of childrenFirst(tables, await s.references.all(q))) await q.query({ text: `DELETE FROM ${table}` });
    },
    async idsInUse(kind, ids) {
      return ids.length === 0 ? [] : (await s[kind].all(q, [ids])).map((r) => r.id);
    },
    async accountNamesInUse(names) {
      return names.length === 0 ? [] : (await s.accountNames.all(q, [names])).map((r) => r.account_name);
    },
  };
}
