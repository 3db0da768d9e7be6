/**
 * Migration 11: ListAccounts and ListAccountsForParent page in join order with the rowid as
 * the tiebreak, so accounts that joined in the same millisecond list in the order they
 * joined, not by their random IDs. One index for the whole directory, one for a folder's
 * direct members; both end with join_time, and SQLite carries the rowid after it. PostgreSQL's
 * migration 13 has the same indexes over its `seq` column. Never edited once landed.
 */
export default `
DROP INDEX accounts_directory_joined;
CREATE INDEX accounts_joined ON accounts(directory_id, join_time);
CREATE INDEX accounts_folder_joined ON accounts(directory_id, folder_id, join_time);
`;
