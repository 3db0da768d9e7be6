import type { MigrationSql } from './migration.js';

/**
 * Version 1: directory structure, contacts, bindings, deletions and jobs. On PostgreSQL every text
 * column is C-collated, so ordering and lower() are byte-wise and ASCII-only, as in SQLite; times are
 * epoch milliseconds (BIGINT); JSON stays text, read and written as in SQLite. (Numbered SQLite 1,
 * PostgreSQL 1 before the two lists became one.)
 */
export default {
  name: 'initial',
  sqlite: `
CREATE TABLE directories (
  id TEXT PRIMARY KEY,
  master_account_id TEXT NOT NULL UNIQUE,
  master_account_name TEXT NOT NULL,
  root_folder_id TEXT NOT NULL UNIQUE,
  create_time INTEGER NOT NULL
);

CREATE TABLE folders (
  id TEXT PRIMARY KEY,
  directory_id TEXT NOT NULL REFERENCES directories(id),
  parent_id TEXT REFERENCES folders(id),
  name TEXT NOT NULL,
  depth INTEGER NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE UNIQUE INDEX folders_parent_name ON folders(directory_id, parent_id, name);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  directory_id TEXT REFERENCES directories(id),
  folder_id TEXT REFERENCES folders(id),
  account_name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  type TEXT NOT NULL,
  join_method TEXT NOT NULL,
  join_time INTEGER NOT NULL,
  modify_time INTEGER NOT NULL
);
CREATE INDEX accounts_folder ON accounts(directory_id, folder_id);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY,
  directory_id TEXT NOT NULL REFERENCES directories(id),
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  message_types TEXT NOT NULL,
  email_effective TEXT,
  email_pending TEXT,
  phone_effective TEXT,
  phone_pending TEXT,
  deleting INTEGER NOT NULL DEFAULT 0,
  create_time INTEGER NOT NULL
);
CREATE UNIQUE INDEX contacts_name ON contacts(directory_id, name);
CREATE INDEX contacts_order ON contacts(directory_id, create_time, id);

CREATE TABLE contact_bindings (
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  member_id TEXT NOT NULL,
  member_kind TEXT NOT NULL,
  bound_at INTEGER NOT NULL,
  seq INTEGER PRIMARY KEY AUTOINCREMENT
);
CREATE UNIQUE INDEX contact_bindings_pair ON contact_bindings(contact_id, member_id);
CREATE INDEX contact_bindings_member ON contact_bindings(member_id);

CREATE TABLE contact_deletions (
  contact_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  fail_reasons TEXT NOT NULL,
  started_at INTEGER NOT NULL
);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  contact_id TEXT,
  run_at INTEGER NOT NULL,
  held INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  locked_by TEXT,
  locked_at INTEGER,
  last_error TEXT,
  state TEXT NOT NULL DEFAULT 'pending',
  created_at INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, held, run_at);
CREATE INDEX jobs_contact ON jobs(contact_id, state);
`,
  postgres: `
CREATE TABLE directories (
  id TEXT COLLATE "C" PRIMARY KEY,
  master_account_id TEXT COLLATE "C" NOT NULL UNIQUE,
  master_account_name TEXT COLLATE "C" NOT NULL,
  root_folder_id TEXT COLLATE "C" NOT NULL UNIQUE,
  create_time BIGINT NOT NULL
);

CREATE TABLE folders (
  id TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" NOT NULL REFERENCES directories(id),
  parent_id TEXT COLLATE "C" REFERENCES folders(id),
  name TEXT COLLATE "C" NOT NULL,
  depth INTEGER NOT NULL,
  create_time BIGINT NOT NULL
);
CREATE UNIQUE INDEX folders_parent_name ON folders(directory_id, parent_id, name);

CREATE TABLE accounts (
  id TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" REFERENCES directories(id),
  folder_id TEXT COLLATE "C" REFERENCES folders(id),
  account_name TEXT COLLATE "C" NOT NULL UNIQUE,
  display_name TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  join_method TEXT COLLATE "C" NOT NULL,
  join_time BIGINT NOT NULL,
  modify_time BIGINT NOT NULL
);
CREATE INDEX accounts_folder ON accounts(directory_id, folder_id);
CREATE INDEX accounts_directory_id ON accounts(directory_id, id);

CREATE TABLE contacts (
  id TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" NOT NULL REFERENCES directories(id),
  name TEXT COLLATE "C" NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  message_types TEXT COLLATE "C" NOT NULL,
  email_effective TEXT COLLATE "C",
  email_pending TEXT COLLATE "C",
  phone_effective TEXT COLLATE "C",
  phone_pending TEXT COLLATE "C",
  deleting BOOLEAN NOT NULL DEFAULT false,
  create_time BIGINT NOT NULL
);
CREATE UNIQUE INDEX contacts_name ON contacts(directory_id, name);
CREATE INDEX contacts_order ON contacts(directory_id, create_time, id);

CREATE TABLE contact_bindings (
  contact_id TEXT COLLATE "C" NOT NULL REFERENCES contacts(id),
  member_id TEXT COLLATE "C" NOT NULL,
  member_kind TEXT COLLATE "C" NOT NULL,
  bound_at BIGINT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
);
CREATE UNIQUE INDEX contact_bindings_pair ON contact_bindings(contact_id, member_id);
CREATE INDEX contact_bindings_member ON contact_bindings(member_id);

CREATE TABLE contact_deletions (
  contact_id TEXT COLLATE "C" PRIMARY KEY,
  status TEXT COLLATE "C" NOT NULL,
  fail_reasons TEXT COLLATE "C" NOT NULL,
  started_at BIGINT NOT NULL
);

CREATE TABLE jobs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind TEXT COLLATE "C" NOT NULL,
  payload TEXT COLLATE "C" NOT NULL,
  contact_id TEXT COLLATE "C",
  run_at BIGINT NOT NULL,
  held BOOLEAN NOT NULL DEFAULT false,
  attempts INTEGER NOT NULL DEFAULT 0,
  locked_by TEXT COLLATE "C",
  locked_at BIGINT,
  last_error TEXT COLLATE "C",
  state TEXT COLLATE "C" NOT NULL DEFAULT 'pending',
  created_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs(state, held, run_at);
CREATE INDEX jobs_contact ON jobs(contact_id, state);

-- Every committed job that a worker could take wakes the listening workers of every node
-- (notifications are sent at commit, and one per transaction however many rows it touched).
CREATE FUNCTION rdmc_jobs_wake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rdmc_jobs', '');
  RETURN NULL;
END $$;
CREATE TRIGGER jobs_wake AFTER INSERT OR UPDATE ON jobs FOR EACH ROW
  WHEN (NEW.state = 'pending' AND NOT NEW.held AND NEW.locked_by IS NULL)
  EXECUTE FUNCTION rdmc_jobs_wake();
`,
} satisfies MigrationSql;
