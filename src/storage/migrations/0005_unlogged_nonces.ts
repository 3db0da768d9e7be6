import type { MigrationSql } from './migration.js';

/**
 * Version 5: PostgreSQL's signature nonces skip the write-ahead log. A nonce row is written on every
 * signed request; logged, each one waited for a disk flush, the largest cost of a read on PostgreSQL.
 * Undone by version 12. SQLite has no unlogged tables: nothing to do there. (Numbered SQLite -,
 * PostgreSQL 5 before the two lists became one.)
 */
export default {
  name: 'unlogged_nonces',
  sqlite: '',
  postgres: `
ALTER TABLE signature_nonces SET UNLOGGED;
`,
} satisfies MigrationSql;
