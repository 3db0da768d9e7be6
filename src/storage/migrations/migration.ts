/** One change of the schema, written for each store; `''` where a store has nothing to do (its file says why). */
export interface MigrationSql {
  /** Recorded beside the version, so a database and a build that disagree on what a version is are told apart. */
  name: string;
  sqlite: string;
  postgres: string;
}

/** A change of the schema and its place in the one list (src/storage/migrations/index.ts). */
export interface Migration extends MigrationSql {
  version: number;
}

export type Dialect = 'sqlite' | 'postgres';

/** What a database records of a migration it applied. */
export interface AppliedMigration {
  version: number;
  name: string;
}
