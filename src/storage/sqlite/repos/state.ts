import { prepareAll, type Db } from '../db.js';
import { listParam } from '../lists.js';
import { KEPT_BY_WIPE, type IdKind, type StateRepo } from '../../store.js';

const TABLE_OF: Record<IdKind, string> = { directory: 'directories', folder: 'folders', account: 'accounts', contact: 'contacts' };

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  ...(Object.fromEntries(
    Object.entries(TABLE_OF).map(([kind, table]) => [kind, `SELECT id FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`]),
  ) as Record<IdKind, string>),
  accountNames: 'SELECT account_name FROM accounts WHERE account_name IN (SELECT value FROM json_each(?))',
  tables: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
};

export function stateRepo(db: Db): StateRepo {
  const p = prepareAll(db, statements);
  return {
    // Every table but those of KEPT_BY_WIPE, so a table added later is wiped without a change
    // here; foreign keys are checked once, at the commit, when all are empty.
    async wipe() {
      const tables = (p.tables.pluck().all() as string[]).filter((name) => !KEPT_BY_WIPE.includes(name));
      db.pragma('defer_foreign_keys = ON');
      for (const table of tables) db.prepare(`DELETE FROM "${table}"`).run();
    },
    async idsInUse(kind, ids) {
      return ids.length === 0 ? [] : (p[kind].pluck().all(listParam(ids)) as string[]);
    },
    async accountNamesInUse(names) {
      return names.length === 0 ? [] : (p.accountNames.pluck().all(listParam(names)) as string[]);
    },
  };
}
