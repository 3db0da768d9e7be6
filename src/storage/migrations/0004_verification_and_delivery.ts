import type { MigrationSql } from './migration.js';

/**
 * Version 4: verification links, send-rate counters and the outbox. (Numbered SQLite 3, PostgreSQL 4
 * before the two lists became one.)
 */
export default {
  name: 'verification_and_delivery',
  sqlite: `
CREATE TABLE verification_tokens (
  token_hash TEXT PRIMARY KEY,
  directory_id TEXT NOT NULL,
  contact_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX verification_tokens_contact ON verification_tokens(contact_id);

CREATE TABLE verification_sends (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  target TEXT NOT NULL,
  sent_at INTEGER NOT NULL
);
CREATE INDEX verification_sends_target ON verification_sends(target, sent_at);

CREATE TABLE outbox_messages (
  id TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  contact_id TEXT,
  account_id TEXT,
  created_at INTEGER NOT NULL,
  delivery TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  delivered_at INTEGER
);
CREATE INDEX outbox_messages_to ON outbox_messages(to_address, created_at);
CREATE INDEX outbox_messages_message ON outbox_messages(message_id);
`,
  postgres: `
CREATE TABLE verification_tokens (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" NOT NULL,
  contact_id TEXT COLLATE "C" NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX verification_tokens_contact ON verification_tokens(contact_id);

CREATE TABLE verification_sends (
  id BIGSERIAL PRIMARY KEY,
  target TEXT COLLATE "C" NOT NULL,
  sent_at BIGINT NOT NULL
);
CREATE INDEX verification_sends_target ON verification_sends(target, sent_at);

CREATE TABLE outbox_messages (
  seq BIGSERIAL UNIQUE,
  id TEXT COLLATE "C" PRIMARY KEY,
  message_id TEXT COLLATE "C" NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  to_address TEXT COLLATE "C" NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  contact_id TEXT COLLATE "C",
  account_id TEXT COLLATE "C",
  created_at BIGINT NOT NULL,
  delivery TEXT COLLATE "C" NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  delivered_at BIGINT
);
CREATE INDEX outbox_messages_to ON outbox_messages(to_address, created_at);
CREATE INDEX outbox_messages_message ON outbox_messages(message_id);
`,
} satisfies MigrationSql;
