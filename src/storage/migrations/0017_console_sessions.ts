import type { MigrationSql } from './migration.js';

/**
 * Version 17: sessions of the web console's login (src/console/sessions.ts), shared by every node. A
 * row holds the SHA-256 of the session's secret, never the secret (the browser's cookie holds that),
 * so a copy of the database or a backup lets nobody in. The indexes serve the expiry pruning and the
 * cap on live sessions. (Numbered SQLite 21, PostgreSQL 21 before the two lists became one.)
 */
export default {
  name: 'console_sessions',
  sqlite: `
CREATE TABLE console_sessions (
  secret_hash TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX console_sessions_created ON console_sessions(created_at);
CREATE INDEX console_sessions_last_seen ON console_sessions(last_seen_at);
`,
  postgres: `
CREATE TABLE console_sessions (
  secret_hash TEXT COLLATE "C" PRIMARY KEY,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_created ON console_sessions(created_at);
CREATE INDEX console_sessions_last_seen ON console_sessions(last_seen_at);
`,
} satisfies MigrationSql;
