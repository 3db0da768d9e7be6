import type { MigrationSql } from './migration.js';

/**
 * Version 20: what /_rdmc/metrics reads at a scrape (src/observability/cluster-gauges.ts): jobs
 * counted by kind and state, the oldest due job of each kind (the first entry of its range), and
 * deliveries counted by state and channel, each a range of an index, never the rows. (Numbered SQLite
 * 26, PostgreSQL 26 before the two lists became one.)
 */
export default {
  name: 'gauge_indexes',
  sqlite: `
CREATE INDEX jobs_census ON jobs(kind, state, held, run_at);
CREATE INDEX outbox_messages_delivery ON outbox_messages(delivery, channel);
`,
  postgres: `
CREATE INDEX jobs_census ON jobs(kind, state, held, run_at);
CREATE INDEX outbox_messages_delivery ON outbox_messages(delivery, channel);
`,
} satisfies MigrationSql;
