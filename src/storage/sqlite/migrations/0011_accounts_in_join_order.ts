/**
 * Migration 11: ListAccounts pages in join order with the rowid as the tiebreak, so accounts
 * that joined in the same millisecond list in the order they joined, not by their random IDs.
 * The index ends with join_time: SQLite carries the rowid after it. PostgreSQL's migration 13
 * is the same index over its `seq` column. Never edited once landed.
 */
export default `
DROP INDEX accounts_directory_joined;
CREATE INDEX accounts_joined ON accounts(directory_id, join_time);
`;
