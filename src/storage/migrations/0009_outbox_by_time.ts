import type { MigrationSql } from './migration.js';

/**
 * Version 9: the whole outbox newest first (the admin list and the console). (Numbered SQLite 9,
 * PostgreSQL 11 before the two lists became one.)
 */
export default {
  name: 'outbox_by_time',
  sqlite: `
CREATE INDEX outbox_messages_created ON outbox_messages(created_at);
`,
  postgres: `
CREATE INDEX outbox_messages_created ON outbox_messages(created_at, seq);
`,
} satisfies MigrationSql;
