import type { AccountRecord } from '../../records.js';
import { filterJson } from '../../rows/directory-state.js';
import { carriesEveryTag } from '../tag-filter.js';
import { BEFORE_ANY_ACCOUNT, inScope, namePrefixRange, toAccount, toPlacedAccount, type AccountRow } from '../../rows/accounts.js';
import type { AccountFilter, AccountRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

/** $1 directory, $3 keyword or null, $4 tag conditions (JSON) or null. */
const MATCH = `($3::text IS NULL
  OR strpos(lower(display_name), lower($3)) > 0 OR strpos(id, $3) > 0 OR strpos(lower(account_name), lower($3)) > 0)
  AND ${carriesEveryTag('Account', 'accounts.id')}`;

/**
 * Who a list reads: the whole directory ($2 is null there, so both scopes take the same
 * parameters), or the direct members of folder $2. Each has statements of its own: a
 * prepared statement may run on a generic plan, and one with `$2 IS NULL OR` would walk the
 * whole directory's join order to find one folder's members.
 */
const WHOLE_DIRECTORY = `directory_id = $1 AND $2::text IS NULL AND ${MATCH}`;
const ONE_FOLDER = `directory_id = $1 AND folder_id = $2 AND ${MATCH}`;

// Join order: `seq` (the order rows were written) tells apart accounts that joined in the same millisecond.
const page = (where: string) => sql<AccountRow>(`SELECT * FROM accounts WHERE ${where} ORDER BY join_time, seq LIMIT $5 OFFSET $6`);
const count = (where: string) => sql<Count>(`SELECT count(*) AS n FROM accounts WHERE ${where}`);

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  // One array per column: the statement is the same for one account or a hundred thousand.
  // In array order, so `seq` keeps the join order of a batch whose accounts share a millisecond.
  insertMany: sql(
    `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
     SELECT i, d, f, an, dn, t, jm, jt, mt
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
       WITH ORDINALITY AS u(i, d, f, an, dn, t, jm, jt, mt, n)
     ORDER BY n`,
  ),
  update: sql(
    `UPDATE accounts SET directory_id = $2, folder_id = $3, account_name = $4, display_name = $5, type = $6,
       join_method = $7, join_time = $8, modify_time = $9
     WHERE id = $1`,
  ),
  byId: sql<AccountRow>('SELECT * FROM accounts WHERE id = $1'),
  byDisplayName: sql<AccountRow>('SELECT * FROM accounts WHERE directory_id = $1 AND display_name = $2'),
  byIds: sql<AccountRow>('SELECT * FROM accounts WHERE directory_id = $1 AND id = ANY($2::text[])'),
  // A range of the display-name index (see namePrefixRange), cut at the page's size.
  byNamePrefix: sql<AccountRow>(
    `SELECT * FROM accounts WHERE display_name >= $2 AND display_name < $3 AND directory_id = $1
     AND display_name <> $4 ORDER BY display_name LIMIT $5`,
  ),
  // Each folder's members, counted in its index range and no further than $3.
  countInFolders: sql<{ folder_id: string; n: number }>(
    `SELECT f AS folder_id, (SELECT count(*) FROM (SELECT 1 FROM accounts WHERE directory_id = $1 AND folder_id = f LIMIT $3) x)::int AS n
     FROM unnest($2::text[]) AS f`,
  ),
  byAccountName: sql<AccountRow>('SELECT * FROM accounts WHERE account_name = $1'),
  list: page(WHOLE_DIRECTORY),
  listInFolder: page(ONE_FOLDER),
  // A page of ListAccounts by NextToken: a row-value comparison, so the keyset is where the
  // index range starts, on a generic plan too. The first page starts before any place.
  listAfter: sql<AccountRow & { seq: number }>(
    `SELECT * FROM accounts WHERE ${WHOLE_DIRECTORY} AND (join_time, seq) > ($5::bigint, $6::bigint)
     ORDER BY join_time, seq LIMIT $7`,
  ),
  count: count(WHOLE_DIRECTORY),
  countInFolder: count(ONE_FOLDER),
  // The directory's count, kept by triggers (migration 20), less the account named if it is there.
  countMembers: sql<Count>(
    `SELECT (coalesce((SELECT accounts FROM directory_account_counts WHERE directory_id = $1), 0)
      - (SELECT count(*) FROM accounts WHERE id = $2 AND directory_id = $1))::int AS n`,
  ),
  batchAll: sql<AccountRow>('SELECT * FROM accounts WHERE directory_id = $1 AND id > $2 ORDER BY id LIMIT $3'),
  batchInFolder: sql<AccountRow>('SELECT * FROM accounts WHERE directory_id = $1 AND folder_id = $2 AND id > $3 ORDER BY id LIMIT $4'),
  existing: sql<{ id: string }>('SELECT id FROM accounts WHERE directory_id = $1 AND id = ANY($2::text[])'),
  delete: sql('DELETE FROM accounts WHERE id = $1'),
};
const s = statements;

const columns = (a: AccountRecord) => [
  a.id, a.directoryId, a.folderId, a.accountName, a.displayName, a.type, a.joinMethod, a.joinTime, a.modifyTime,
];

const filterArgs = (directoryId: string, f: AccountFilter) => [
  directoryId, f.folderId, f.keyword, f.tags && filterJson(f.tags),
];

export function accountRepo(q: Queryable): AccountRepo {
  const counted = async (directoryId: string, f: AccountFilter) => (await inScope(f, s.count, s.countInFolder).one(q, filterArgs(directoryId, f)))!.n;
  const insertMany = async (accounts: AccountRecord[]) => {
    if (accounts.length === 0) return;
    const rows = accounts.map(columns);
    await s.insertMany.run(q, rows[0]!.map((_, i) => rows.map((r) => r[i])));
  };
  return {
    insertMany,
    insert: (a) => insertMany([a]),
    async update(a) {
      await s.update.run(q, columns(a));
    },
    async byId(id) {
      const r = await s.byId.one(q, [id]);
      return r && toAccount(r);
    },
    async byDisplayName(directoryId, displayName) {
      const r = await s.byDisplayName.one(q, [directoryId, displayName]);
      return r && toAccount(r);
    },
    async byIds(directoryId, ids) {
      return (await s.byIds.all(q, [directoryId, ids])).map(toAccount);
    },
    async byNamePrefix(directoryId, prefix, afterName, limit) {
      const { from, to, skip } = namePrefixRange(prefix, afterName);
      return (await s.byNamePrefix.all(q, [directoryId, from, to, skip, limit])).map(toAccount);
    },
    async countInFolders(directoryId, folderIds, cap) {
      const rows = await s.countInFolders.all(q, [directoryId, folderIds, cap]);
      return new Map(rows.filter((r) => r.n > 0).map((r) => [r.folder_id, r.n]));
    },
    async byAccountName(accountName) {
      const r = await s.byAccountName.one(q, [accountName]);
      return r && toAccount(r);
    },
    async list(directoryId, filter, page) {
      // Past the last match (PageNumber up to 1,000,000,000) there is no page to read.
      const total = await counted(directoryId, filter);
      if (page.offset >= total) return { total, items: [] };
      const rows = await inScope(filter, s.list, s.listInFolder).all(q, [...filterArgs(directoryId, filter), page.limit, page.offset]);
      return { total, items: rows.map(toAccount) };
    },
    async listAfter(directoryId, match, after, limit) {
      const from = after ?? BEFORE_ANY_ACCOUNT;
      const args = [...filterArgs(directoryId, { ...match, folderId: null }), from.joinTime, from.seq, limit];
      return (await s.listAfter.all(q, args)).map(toPlacedAccount);
    },
    async count(directoryId, filter) {
      return counted(directoryId, filter);
    },
    async existing(directoryId, ids) {
      return (await s.existing.all(q, [directoryId, ids])).map((r) => r.id);
    },
    async delete(id) {
      await s.delete.run(q, [id]);
    },
    async batchInFolder(directoryId, folderId, afterId, limit) {
      const rows =
        folderId === null
          ? await s.batchAll.all(q, [directoryId, afterId, limit])
          : await s.batchInFolder.all(q, [directoryId, folderId, afterId, limit]);
      return rows.map(toAccount);
    },
    async countInFolder(directoryId, folderId) {
      return counted(directoryId, { folderId, keyword: null, tags: null });
    },
    async countMembers(directoryId, exceptId) {
      return (await s.countMembers.one(q, [directoryId, exceptId]))!.n;
    },
  };
}
