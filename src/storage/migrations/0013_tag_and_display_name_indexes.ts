import type { MigrationSql } from './migration.js';

/**
 * Version 13: lookups that were scans. A display name is unique within a directory
 * (CreateResourceAccount, UpdateAccount, state files check it), and without an index each check read
 * the whole directory (the name first: an index that began with the directory would compete with the
 * join-order indexes for every directory-wide read). A tag key's rows in resource order serve
 * ListTagResources' key-only filters a page at a time (the pair index serves key and value). (Numbered
 * SQLite 12, PostgreSQL 15 before the two lists became one.)
 */
export default {
  name: 'tag_and_display_name_indexes',
  sqlite: `
CREATE INDEX accounts_display_name ON accounts(display_name, directory_id);
CREATE INDEX resource_tags_key ON resource_tags(directory_id, resource_type, tag_key, resource_id);
`,
  postgres: `
CREATE INDEX accounts_display_name ON accounts(display_name, directory_id);
CREATE INDEX resource_tags_key ON resource_tags(directory_id, resource_type, tag_key, resource_id);
`,
} satisfies MigrationSql;
