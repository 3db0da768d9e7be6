import type { MigrationSql } from './migration.js';

/**
 * Version 19: redrive (docs/operations.md, Redrive). A job keeps when it failed for good
 * (`failed_at`), how often an operator retried it (`redrives`) and the attempts it spent before the
 * last retry (`prior_attempts`); a delivery job names its outbox message (`outbox_id`), so a delivery
 * and its job find each other by index. Bulk retries read the failed jobs by time and the failed
 * deliveries (few, beside the outbox) from indexes of their own. (Numbered SQLite 23, PostgreSQL 23
 * before the two lists became one.)
 */
export default {
  name: 'redrive',
  sqlite: `
ALTER TABLE jobs ADD COLUMN failed_at INTEGER;
ALTER TABLE jobs ADD COLUMN redrives INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN prior_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN outbox_id TEXT;
UPDATE jobs SET failed_at = run_at WHERE state = 'failed';
UPDATE jobs SET outbox_id = json_extract(payload, '$.outboxId') WHERE kind = 'delivery.send';
CREATE INDEX jobs_failed ON jobs(failed_at, id) WHERE failed_at IS NOT NULL;
CREATE INDEX jobs_outbox ON jobs(outbox_id, state);
CREATE INDEX outbox_messages_failed ON outbox_messages(created_at, id) WHERE delivery = 'failed';
`,
  postgres: `
ALTER TABLE jobs ADD COLUMN failed_at BIGINT;
ALTER TABLE jobs ADD COLUMN redrives INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN prior_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN outbox_id TEXT COLLATE "C";
UPDATE jobs SET failed_at = run_at WHERE state = 'failed';
UPDATE jobs SET outbox_id = payload::json ->> 'outboxId' WHERE kind = 'delivery.send';
CREATE INDEX jobs_failed ON jobs(failed_at, id) WHERE failed_at IS NOT NULL;
CREATE INDEX jobs_outbox ON jobs(outbox_id, state);
CREATE INDEX outbox_messages_failed ON outbox_messages(created_at, id) WHERE delivery = 'failed';
`,
} satisfies MigrationSql;
