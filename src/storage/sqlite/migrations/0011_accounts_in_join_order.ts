/**
 * Migration 11: ListAccounts and ListAccountsForParent page in join order with the rowid as
 * the tiebreak, so accounts that join in the same millisecond list in the order they joined,
 * not by their random IDs. The accounts already stored are renumbered in the order they
 * listed in until now (join time, then ID), so no listing changes at the upgrade, and
 * PostgreSQL's migration 13 numbers its `seq` the same way. One index for the whole
 * directory, one for a folder's direct members; both end with join_time, and SQLite carries
 * the rowid after it. Never edited once landed.
 */
export default `
UPDATE accounts SET rowid = -rowid;
UPDATE accounts SET rowid = listed.n
  FROM (SELECT id, row_number() OVER (ORDER BY join_time, id) AS n FROM accounts) AS listed
  WHERE listed.id = accounts.id;
DROP INDEX accounts_directory_joined;
CREATE INDEX accounts_joined ON accounts(directory_id, join_time);
CREATE INDEX accounts_folder_joined ON accounts(directory_id, folder_id, join_time);
`;
