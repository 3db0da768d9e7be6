import type { MigrationSql } from './migration.js';

/**
 * Version 12: PostgreSQL's signature nonces are written to the write-ahead log again (version 5 had
 * taken them out). PostgreSQL empties an UNLOGGED table in crash recovery, so a crash of the database
 * server forgot every nonce, and a request signed before it could be replayed for the rest of its
 * 15-minute window (one undid a later acknowledged update). A signed request now goes on only once its
 * nonce is durable. The table is rewritten once, under the migrations' lock. SQLite never had unlogged
 * tables: nothing to do there. (Numbered SQLite -, PostgreSQL 14 before the two lists became one.)
 */
export default {
  name: 'logged_nonces',
  sqlite: '',
  postgres: `
ALTER TABLE signature_nonces SET LOGGED;
`,
} satisfies MigrationSql;
