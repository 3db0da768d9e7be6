import type { MigrationSql } from './migration.js';

/**
 * Version 22: STS role sessions (src/services/sts.ts), shared by every node, so a session made
 * on one node signs requests on any other. The secret is kept as given, because verifying a
 * signature needs it (HMAC); the security token only as its SHA-256, since it is only compared.
 * The expiry index serves retention's pruning, the trustor index the cap on live sessions.
 */
export default {
  name: 'sts_sessions',
  sqlite: `
CREATE TABLE sts_sessions (
  access_key_id TEXT PRIMARY KEY,
  access_key_secret TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  account_id TEXT NOT NULL,
  role_name TEXT NOT NULL,
  session_name TEXT NOT NULL,
  trustor_account_id TEXT NOT NULL,
  source_access_key_id TEXT NOT NULL,
  policy TEXT,
  source_identity TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sts_sessions_expiry ON sts_sessions(expires_at);
CREATE INDEX sts_sessions_trustor ON sts_sessions(trustor_account_id, expires_at);
`,
  postgres: `
CREATE TABLE sts_sessions (
  access_key_id TEXT COLLATE "C" PRIMARY KEY,
  access_key_secret TEXT COLLATE "C" NOT NULL,
  token_hash TEXT COLLATE "C" NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL,
  role_name TEXT COLLATE "C" NOT NULL,
  session_name TEXT COLLATE "C" NOT NULL,
  trustor_account_id TEXT COLLATE "C" NOT NULL,
  source_access_key_id TEXT COLLATE "C" NOT NULL,
  policy TEXT,
  source_identity TEXT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sts_sessions_expiry ON sts_sessions(expires_at);
CREATE INDEX sts_sessions_trustor ON sts_sessions(trustor_account_id, expires_at);
`,
} satisfies MigrationSql;
