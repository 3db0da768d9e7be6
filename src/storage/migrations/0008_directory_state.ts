import type { MigrationSql } from './migration.js';

/**
 * Version 8: what Terraform manages beside message contacts (directory switches, payers, tags, account
 * deletion records), and the keyset order of member lists. (Numbered SQLite 7, PostgreSQL 9 before the
 * two lists became one.)
 */
export default {
  name: 'directory_state',
  sqlite: `
CREATE TABLE directory_settings (
  directory_id TEXT PRIMARY KEY REFERENCES directories(id),
  control_policy_status TEXT NOT NULL,
  member_deletion_status TEXT NOT NULL,
  member_display_name_sync_status TEXT NOT NULL
);

CREATE TABLE account_payers (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  payer_account_id TEXT NOT NULL
);
CREATE INDEX account_payers_payer ON account_payers(payer_account_id);

CREATE TABLE resource_tags (
  directory_id TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  tag_key TEXT NOT NULL,
  tag_value TEXT NOT NULL,
  PRIMARY KEY (directory_id, resource_type, resource_id, tag_key)
) WITHOUT ROWID;
CREATE INDEX resource_tags_pair ON resource_tags(directory_id, resource_type, tag_key, tag_value, resource_id);

CREATE TABLE account_deletions (
  account_id TEXT PRIMARY KEY,
  directory_id TEXT NOT NULL,
  checked_at INTEGER,
  deleted_at INTEGER
);
CREATE INDEX account_deletions_deleted ON account_deletions(deleted_at);

CREATE INDEX accounts_join_order ON accounts(directory_id, join_time, id);
`,
  postgres: `
CREATE TABLE directory_settings (
  directory_id TEXT COLLATE "C" PRIMARY KEY REFERENCES directories(id),
  control_policy_status TEXT COLLATE "C" NOT NULL,
  member_deletion_status TEXT COLLATE "C" NOT NULL,
  member_display_name_sync_status TEXT COLLATE "C" NOT NULL
);

CREATE TABLE account_payers (
  account_id TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id),
  payer_account_id TEXT COLLATE "C" NOT NULL
);
CREATE INDEX account_payers_payer ON account_payers(payer_account_id);

CREATE TABLE resource_tags (
  directory_id TEXT COLLATE "C" NOT NULL,
  resource_type TEXT COLLATE "C" NOT NULL,
  resource_id TEXT COLLATE "C" NOT NULL,
  tag_key TEXT COLLATE "C" NOT NULL,
  tag_value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (directory_id, resource_type, resource_id, tag_key)
);
CREATE INDEX resource_tags_pair ON resource_tags(directory_id, resource_type, tag_key, tag_value, resource_id);

CREATE TABLE account_deletions (
  account_id TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" NOT NULL,
  checked_at BIGINT,
  deleted_at BIGINT
);
CREATE INDEX account_deletions_deleted ON account_deletions(deleted_at);

CREATE INDEX accounts_join_order ON accounts(directory_id, join_time, id);
`,
} satisfies MigrationSql;
