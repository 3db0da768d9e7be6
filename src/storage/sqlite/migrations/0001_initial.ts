/** Migration 1: directory structure, contacts, bindings, deletions and jobs. Never edited once landed. */
export default `
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
`;
