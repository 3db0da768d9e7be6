import { KEPT_BY_WIPE } from '../store.js';
import type { Db } from './db.js';

const TABLES = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

/**
 * Empties every table but those of KEPT_BY_WIPE, so a table added later is wiped without a
 * change here; foreign keys are checked once, at the commit, when all are empty.
 */
export function sqliteWipe(db: Db): () => Promise<void> {
  const tables = db.prepare(TABLES).pluck();
  return async () => {
    const names = (tables.all() as string[]).filter((name) => !KEPT_BY_WIPE.includes(name));
    db.pragma('defer_foreign_keys = ON');
    for (const table of names) db.prepare(`DELETE FROM "${table}"`).run();
  };
}
