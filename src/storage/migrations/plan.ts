import { SchemaMismatch } from '../schema-version.js';
import type { AppliedMigration, Migration } from './migration.js';

/**
 * The migrations a database still needs, in order, or why this build must not touch it.
 *
 * - A version this build does not know, or a known version under another name: the database
 *   was migrated by a newer (or another) release. Starting would serve a schema this code was
 *   not written for, so the start is refused (`schema-newer`).
 * - A version missing below the newest applied one: applying it now would run changes out of
 *   their order. The one list cannot produce that (versions are positions, names are checked),
 *   so only a database of the per-store lists, translated (`translated`), may have such gaps:
 *   those releases did apply migrations out of order, and the gaps are filled as they did.
 */
export function pendingMigrations(applied: readonly AppliedMigration[], build: readonly Migration[], translated: boolean): Migration[] {
  const known = new Map(build.map((m) => [m.version, m]));
  const unknown = applied.filter((a) => !known.has(a.version)).map((a) => a.version);
  if (unknown.length > 0) {
    throw new SchemaMismatch(
      'schema-newer',
      `the database was migrated by a newer release of rdmc: it holds schema versions ${unknown.join(', ')}, and this release knows versions 1 to ${build.length}; run the newer release, or restore a backup this release made`,
    );
  }
  const renamed = applied.filter((a) => known.get(a.version)!.name !== a.name);
  if (renamed.length > 0) {
    const [first] = renamed;
    throw new SchemaMismatch(
      'schema-newer',
      `the database was migrated by another release of rdmc: its schema version ${first!.version} is '${first!.name}', this release's is '${known.get(first!.version)!.name}'`,
    );
  }
  const done = new Set(applied.map((a) => a.version));
  const newest = Math.max(0, ...done);
  const pending = build.filter((m) => !done.has(m.version));
  const gaps = pending.filter((m) => m.version < newest);
  if (gaps.length > 0 && !translated) {
    throw new SchemaMismatch(
      'schema-older',
      `the database holds schema version ${newest} but not ${gaps.map((m) => m.version).join(', ')}: applying them now would change the schema out of order`,
    );
  }
  return pending;
}
