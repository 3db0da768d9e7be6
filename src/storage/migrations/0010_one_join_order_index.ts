import type { MigrationSql } from './migration.js';

/**
 * Version 10: versions 6 and 8 both created an index on accounts(directory_id, join_time, id); the
 * second copy served no query the first does not and cost every account insert a write. (Numbered
 * SQLite 10, PostgreSQL 12 before the two lists became one.)
 */
export default {
  name: 'one_join_order_index',
  sqlite: `
DROP INDEX accounts_join_order;
`,
  postgres: `
DROP INDEX accounts_join_order;
`,
} satisfies MigrationSql;
