import { KEPT_BY_WIPE } from '../store.js';
import { sql, type Queryable } from './sql.js';

const tables = sql<{ name: string }>(
  "SELECT format('%I', tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL($1::text[])",
);
const references = sql<{ child: string; parent: string }>(
  `SELECT format('%I', c.relname) AS child, format('%I', p.relname) AS parent
   FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
   WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace AND k.conrelid <> k.confrelid`,
);

/** Tables in an order that deletes every referencing table before the tables it references. */
function childrenFirst(names: string[], refs: Array<{ child: string; parent: string }>): string[] {
  const order: string[] = [];
  for (let left = new Set(names); left.size > 0; ) {
    const free = [...left].filter((t) => !refs.some((r) => r.parent === t && r.child !== t && left.has(r.child)));
    // A cycle of references (none today) would leave no table free: delete the rest as they come.
    for (const t of free.length > 0 ? free : [...left]) {
      order.push(t);
      left.delete(t);
    }
  }
  return order;
}

/**
 * Empties every table but those of KEPT_BY_WIPE, children first (PostgreSQL checks each
 * DELETE's foreign keys as it runs). DELETE, not TRUNCATE: TRUNCATE locks every table against
 * readers until the commit, so other tenants could read nothing while an import runs; DELETE
 * lets them read the rows as they were until it commits.
 */
export function postgresWipe(q: Queryable): () => Promise<void> {
  return async () => {
    const names = (await tables.all(q, [KEPT_BY_WIPE])).map((t) => t.name);
    for (const table of childrenFirst(names, await references.all(q))) await q.query({ text: `DELETE FROM ${table}` });
  };
}
