import type { MigrationSql } from './migration.js';

/**
 * Version 21: the outbox's To filter ignores the case of the address, as the send limits do
 * (src/services/verification.ts), so its lookup reads an index on the lowered address. (Numbered
 * SQLite 27, PostgreSQL 27 before the two lists became one.)
 */
export default {
  name: 'outbox_address_any_case',
  sqlite: `
DROP INDEX outbox_messages_to;
CREATE INDEX outbox_messages_to_lower ON outbox_messages(lower(to_address), created_at);
`,
  postgres: `
DROP INDEX outbox_messages_to;
CREATE INDEX outbox_messages_to_lower ON outbox_messages(lower(to_address), created_at, seq);
`,
} satisfies MigrationSql;
