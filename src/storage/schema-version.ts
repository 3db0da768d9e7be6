/** Where a database records the migrations it applied (src/storage/migrations/), by version and name. */
export const VERSIONS_TABLE = 'schema_versions';

/**
 * Whether the database's schema is the one this build was written for: the migrations it
 * records are exactly this build's. A node serves only such a database; readiness says why
 * not otherwise (src/admin/probes.ts), so a load balancer takes the node out of rotation.
 */
export class SchemaMismatch extends Error {
  constructor(
    /** `schema-older`: a migration of this build is missing; `schema-newer`: one this build does not know is there. */
    readonly reason: 'schema-older' | 'schema-newer',
    message: string,
  ) {
    super(message);
    this.name = 'SchemaMismatch';
  }
}

/**
 * Throws `SchemaMismatch` unless `applied` (the versions the database records) are exactly
 * `build`'s. A database that both lacks some and holds unknown ones was migrated by another
 * release, which is what `schema-newer` means to an operator: upgrade this node.
 */
export function checkSchema(applied: readonly number[], build: readonly number[]): void {
  const known = new Set(build);
  const recorded = new Set(applied);
  const unknown = applied.filter((v) => !known.has(v));
  const missing = build.filter((v) => !recorded.has(v));
  if (unknown.length > 0) {
    throw new SchemaMismatch('schema-newer', `the database schema has migrations this release does not know (${unknown.join(', ')}): it was migrated by a newer release`);
  }
  if (missing.length > 0) {
    throw new SchemaMismatch('schema-older', `the database schema lacks ${missing.length} of this release's ${build.length} migrations (${missing.join(', ')})`);
  }
}
