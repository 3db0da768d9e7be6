import type { MigrationSql } from './migration.js';

/**
 * Version 18: the audit trail (src/audit/). One row per write, newest read first by (at, seq); an
 * index per filter of the list (time, action, actor, failures) and a table of the IDs each record
 * names, so a filter by one ID reads an index range too. Retention prunes both by time. Wipes keep
 * both (KEPT_BY_WIPE). (Numbered SQLite 22, PostgreSQL 22 before the two lists became one.)
 */
export default {
  name: 'audit_trail',
  sqlite: `
CREATE TABLE audit_records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  identity_type TEXT NOT NULL,
  actor TEXT NOT NULL,
  access_key_id TEXT,
  account_id TEXT,
  peer TEXT,
  action TEXT NOT NULL,
  targets TEXT NOT NULL,
  status INTEGER NOT NULL,
  code TEXT NOT NULL
);
CREATE INDEX audit_records_time ON audit_records(at, seq);
CREATE INDEX audit_records_action ON audit_records(action, at, seq);
CREATE INDEX audit_records_actor ON audit_records(actor, at, seq);
CREATE INDEX audit_records_failed ON audit_records(at, seq) WHERE status >= 400;
CREATE TABLE audit_targets (
  target_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (target_id, at, seq)
) WITHOUT ROWID;
CREATE INDEX audit_targets_time ON audit_targets(at);
`,
  postgres: `
CREATE TABLE audit_records (
  seq BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  identity_type TEXT NOT NULL,
  actor TEXT NOT NULL,
  access_key_id TEXT,
  account_id TEXT,
  peer TEXT,
  action TEXT NOT NULL,
  targets TEXT[] NOT NULL,
  status INTEGER NOT NULL,
  code TEXT NOT NULL
);
CREATE INDEX audit_records_time ON audit_records(at, seq);
CREATE INDEX audit_records_action ON audit_records(action, at, seq);
CREATE INDEX audit_records_actor ON audit_records(actor, at, seq);
CREATE INDEX audit_records_failed ON audit_records(at, seq) WHERE status >= 400;
CREATE TABLE audit_targets (
  target_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (target_id, at, seq)
);
CREATE INDEX audit_targets_time ON audit_targets(at);
`,
} satisfies MigrationSql;
