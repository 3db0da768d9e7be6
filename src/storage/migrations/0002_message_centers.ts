import type { MigrationSql } from './migration.js';

/**
 * Version 2: member message centers (docs/reference/model.md section 3). (Numbered SQLite 2,
 * PostgreSQL 2 before the two lists became one.)
 */
export default {
  name: 'message_centers',
  sqlite: `
CREATE TABLE message_center_owners (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  message_types TEXT NOT NULL
);

CREATE TABLE message_center_entries (
  account_id TEXT NOT NULL REFERENCES accounts(id),
  contact_id TEXT NOT NULL,
  source TEXT NOT NULL,
  via TEXT NOT NULL,
  retained_name TEXT,
  retained_email TEXT,
  retained_phone TEXT,
  retained_message_types TEXT,
  PRIMARY KEY (account_id, contact_id)
);
CREATE INDEX message_center_entries_contact ON message_center_entries(contact_id, account_id);
`,
  postgres: `
CREATE TABLE message_center_owners (
  account_id TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts(id),
  message_types TEXT COLLATE "C" NOT NULL
);

CREATE TABLE message_center_entries (
  account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
  contact_id TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  via TEXT COLLATE "C" NOT NULL,
  retained_name TEXT COLLATE "C",
  retained_email TEXT COLLATE "C",
  retained_phone TEXT COLLATE "C",
  retained_message_types TEXT COLLATE "C",
  PRIMARY KEY (account_id, contact_id)
);
CREATE INDEX message_center_entries_contact ON message_center_entries(contact_id, account_id);
`,
} satisfies MigrationSql;
