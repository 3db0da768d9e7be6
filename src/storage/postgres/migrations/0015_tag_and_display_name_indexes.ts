/**
 * Migration 15: lookups that were scans. A display name is unique within a directory
 * (CreateResourceAccount, UpdateAccount, state files check it), and without an index each
 * check read the whole directory (the name first: an index that began with the directory
 * would compete with the join-order indexes for every directory-wide read). A tag key's rows in resource order serve ListTagResources'
 * key-only filters a page at a time (the pair index serves key and value); the same as
 * SQLite's migration 12. Never edited once landed.
 */
export default `
CREATE INDEX accounts_display_name ON accounts(display_name, directory_id);
CREATE INDEX resource_tags_key ON resource_tags(directory_id, resource_type, tag_key, resource_id);
`;
