import type { MigrationSql } from './migration.js';

/**
 * Version 3: signature nonces in the database: shared by every PostgreSQL node, so a request replayed
 * on another one is refused; in the SQLite file, so a request captured before a restart is still
 * refused after it. (Numbered SQLite 5, PostgreSQL 3 before the two lists became one.)
 */
export default {
  name: 'signature_nonces',
  sqlite: `
CREATE TABLE signature_nonces (
  access_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
) WITHOUT ROWID;
CREATE INDEX signature_nonces_expiry ON signature_nonces(expires_at);
`,
  postgres: `
CREATE TABLE signature_nonces (
  access_key_id TEXT COLLATE "C" NOT NULL,
  nonce TEXT COLLATE "C" NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX signature_nonces_expiry ON signature_nonces(expires_at);
`,
} satisfies MigrationSql;
