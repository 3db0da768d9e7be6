import type { MigrationSql } from './migration.js';

/**
 * Version 14: retention prunes send-rate counters by time, in batches, instead of every send deleting
 * them; the batches read this index, not the table. (Numbered SQLite 13, PostgreSQL 16 before the two
 * lists became one.)
 */
export default {
  name: 'sends_by_time',
  sqlite: `
CREATE INDEX verification_sends_time ON verification_sends(sent_at);
`,
  postgres: `
CREATE INDEX verification_sends_time ON verification_sends(sent_at);
`,
} satisfies MigrationSql;
