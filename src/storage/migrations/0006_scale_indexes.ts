import type { MigrationSql } from './migration.js';

/**
 * Version 6: the indexes a 100,000-account directory needs, the same on both stores (the storage
 * contract suite compares them). A fan-out batch reads members in account-ID order, of the whole
 * directory or of one folder; ListAccounts pages a whole directory in join order. Without them each
 * batch or page reads and sorts the whole directory. (Numbered SQLite 4, PostgreSQL 6 before the two
 * lists became one.)
 */
export default {
  name: 'scale_indexes',
  sqlite: `
DROP INDEX accounts_folder;
CREATE INDEX accounts_directory_id ON accounts(directory_id, id);
CREATE INDEX accounts_folder_id ON accounts(directory_id, folder_id, id);
CREATE INDEX accounts_directory_joined ON accounts(directory_id, join_time, id);
`,
  postgres: `
DROP INDEX accounts_folder;
CREATE INDEX accounts_folder_id ON accounts(directory_id, folder_id, id);
CREATE INDEX accounts_directory_joined ON accounts(directory_id, join_time, id);
`,
} satisfies MigrationSql;
