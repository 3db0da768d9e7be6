import { SchemaMismatch } from '../schema-version.js';
import type { AppliedMigration, Dialect, Migration } from './migration.js';

/**
 * Until the two stores shared one list, each numbered its own migrations, in a table
 * `schema_migrations (version, applied_at)`, and the numbers disagreed (SQLite's 11 was
 * PostgreSQL's 13). A database made by such a release is translated once, at the first start
 * of this one: each recorded number becomes its change's version in the one list, in the
 * table `schema_versions`, inside the migrations' transaction.
 */
export const LEGACY_TABLE = 'schema_migrations';

/** Each store's old number of a change → that change's version in the one list. */
const LEGACY_VERSIONS: Record<Dialect, ReadonlyMap<number, number>> = {
  sqlite: new Map([
    [1, 1], [2, 2], [5, 3], [3, 4], [4, 6], [6, 7], [7, 8], [9, 9], [10, 10], [11, 11],
    [12, 13], [13, 14], [14, 15], [20, 16], [21, 17], [22, 18], [23, 19], [26, 20], [27, 21],
  ]),
  postgres: new Map([
    [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [9, 8], [11, 9], [12, 10], [13, 11],
    [14, 12], [15, 13], [16, 14], [17, 15], [20, 16], [21, 17], [22, 18], [23, 19], [26, 20], [27, 21],
  ]),
};

/**
 * Left in the old table once it is translated. Releases of before the one list read it as a
 * migration they do not know: from the release that checks its schema on, such a node reports
 * `schema-newer` and is not ready, instead of serving a schema it was not written for.
 */
export const LEGACY_SENTINEL = 1000;

/** The one list's record of what a database of an older release applied, by its old numbers. */
export function translateLegacy(dialect: Dialect, legacy: ReadonlyArray<{ version: number; appliedAt: number }>, build: readonly Migration[]): Array<AppliedMigration & { appliedAt: number }> {
  const map = LEGACY_VERSIONS[dialect];
  const unknown = legacy.filter((r) => !map.has(r.version)).map((r) => r.version);
  if (unknown.length > 0) {
    throw new SchemaMismatch(
      'schema-newer',
      `the database records migrations ${unknown.join(', ')} in ${LEGACY_TABLE}, which no release of rdmc this one can upgrade from applied: it was migrated by another release`,
    );
  }
  return legacy.map((r) => {
    const version = map.get(r.version)!;
    return { version, name: build[version - 1]!.name, appliedAt: r.appliedAt };
  });
}
