import type { Executor } from '../executor.js';
import { carriesEveryTag } from '../postgres/tag-filter.js';
import type { AccountRecord } from '../records.js';
import { BEFORE_ANY_ACCOUNT, namePrefixRange, toAccount, toPlacedAccount, type AccountRow } from '../rows/accounts.js';
import { filterJson } from '../rows/directory-state.js';
import { accountScan } from '../sqlite/account-scan.js';
import { BEFORE_ALL } from '../sqlite/windows.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { AccountCursor, AccountFilter, AccountRepo } from '../store.js';

type InDirectory = { directoryId: string };
type InFolder = InDirectory & { folderId: string };
type Page = { limit: number; offset: number };
/** PostgreSQL's filter: :keyword (null: none) and :tags, a JSON list of conditions (null: none). */
type Match = { keyword: string | null; tags: string | null };

const columns = (a: AccountRecord) => ({
  id: a.id,
  directoryId: a.directoryId,
  folderId: a.folderId,
  accountName: a.accountName,
  displayName: a.displayName,
  type: a.type,
  joinMethod: a.joinMethod,
  joinTime: a.joinTime,
  modifyTime: a.modifyTime,
});

/**
 * Join order: join time, then the order rows were written (the dialect's `order`: SQLite's
 * rowid, PostgreSQL's `seq`) for accounts that joined in the same millisecond. SQLite gives a
 * new row max(rowid) + 1, so after the newest row is deleted its number is used again: a
 * NextToken that stopped on exactly that account skips an account that joins in the same
 * millisecond. And a rebuild of `accounts` must copy the rows in rowid order, or ties and
 * tokens change.
 */
const WHOLE = 'directory_id = :directoryId';
const FOLDER = 'directory_id = :directoryId AND folder_id = :folderId';
/** PostgreSQL's filter; PostgreSQL has no instr, so a substring is found by strpos. */
const PG_MATCH = `(:keyword::text IS NULL
  OR strpos(lower(display_name), lower(:keyword)) > 0 OR strpos(id, :keyword) > 0 OR strpos(lower(account_name), lower(:keyword)) > 0)
  AND ${carriesEveryTag('Account', 'accounts.id')}`;
const pgPage = (where: string) => `SELECT * FROM accounts WHERE ${where} AND ${PG_MATCH} ORDER BY join_time, seq LIMIT :limit OFFSET :offset`;
const pgCount = (where: string) => `SELECT count(*) AS n FROM accounts WHERE ${where} AND ${PG_MATCH}`;

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  // A whole batch in one statement, in the batch's order, so the write order keeps the join
  // order of accounts that share a millisecond. Each dialect takes lists its own way: SQLite
  // one JSON list (json_each walks it in order), PostgreSQL one array per column (unnest).
  insertJson: statement<NoRow, { accounts: string }>({
    sqlite: `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
      SELECT value->>'id', value->>'directoryId', value->>'folderId', value->>'accountName', value->>'displayName',
        value->>'type', value->>'joinMethod', value->>'joinTime', value->>'modifyTime' FROM json_each(:accounts)`,
  }),
  insertColumns: statement<NoRow, { [K in keyof ReturnType<typeof columns>]: ReadonlyArray<ReturnType<typeof columns>[K]> }>({
    postgres: `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
      SELECT i, d, f, an, dn, t, jm, jt, mt
      FROM unnest(:id::text[], :directoryId::text[], :folderId::text[], :accountName::text[], :displayName::text[], :type::text[],
        :joinMethod::text[], :joinTime::bigint[], :modifyTime::bigint[])
        WITH ORDINALITY AS u(i, d, f, an, dn, t, jm, jt, mt, n)
      ORDER BY n`,
  }),
  update: statement<NoRow, ReturnType<typeof columns>>(
    `UPDATE accounts SET directory_id = :directoryId, folder_id = :folderId, account_name = :accountName,
       display_name = :displayName, type = :type, join_method = :joinMethod, join_time = :joinTime, modify_time = :modifyTime
     WHERE id = :id`,
  ),
  byId: statement<AccountRow, { id: string }>('SELECT * FROM accounts WHERE id = :id'),
  byDisplayName: statement<AccountRow, InDirectory & { displayName: string }>(
    'SELECT * FROM accounts WHERE directory_id = :directoryId AND display_name = :displayName',
  ),
  byIds: statement<AccountRow, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT * FROM accounts WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}`,
  ),
  // A range of the display-name index (see namePrefixRange), cut at the page's size. SQLite is
  // told the index: without statistics it would rather take the directory's join order and sort.
  byNamePrefix: statement<AccountRow, InDirectory & { from: string; to: string; skip: string; limit: number }>(
    (d) => `SELECT * FROM accounts ${d.name === 'sqlite' ? 'INDEXED BY accounts_display_name ' : ''}
     WHERE display_name >= :from AND display_name < :to AND directory_id = :directoryId
     AND display_name <> :skip ORDER BY display_name LIMIT :limit`,
  ),
  // Each folder's members, counted in its index range and no further than :cap. The list as
  // a table of `value`s is each dialect's own: SQLite's json_each, PostgreSQL's unnest.
  countInFolders: statement<{ folder_id: string; n: number }, InDirectory & { folderIds: readonly string[]; cap: number }>(
    (d) => `SELECT f.value AS folder_id,
      (SELECT count(*) FROM (SELECT 1 FROM accounts WHERE directory_id = :directoryId AND folder_id = f.value LIMIT :cap) AS m) AS n
     FROM ${d.name === 'sqlite' ? 'json_each(:folderIds) AS f' : 'unnest(:folderIds::text[]) AS f(value)'}`,
  ),
  byAccountName: statement<AccountRow, { accountName: string }>('SELECT * FROM accounts WHERE account_name = :accountName'),
  // Unfiltered lists walk the join-order index of their scope alone.
  list: statement<AccountRow, InDirectory & Page>((d) => `SELECT * FROM accounts WHERE ${WHOLE} ORDER BY join_time, ${d.order} LIMIT :limit OFFSET :offset`),
  listInFolder: statement<AccountRow, InFolder & Page>(
    (d) => `SELECT * FROM accounts WHERE ${FOLDER} ORDER BY join_time, ${d.order} LIMIT :limit OFFSET :offset`,
  ),
  count: statement<Count, InDirectory>(`SELECT count(*) AS n FROM accounts WHERE ${WHOLE}`),
  countInFolder: statement<Count, InFolder>(`SELECT count(*) AS n FROM accounts WHERE ${FOLDER}`),
  // A page of ListAccounts by NextToken: a row-value comparison, so the keyset is where the
  // index range starts, on a generic plan too. The first page starts before any place (the
  // repo passes the smallest values). PostgreSQL's `*` holds `seq` already; naming it again is harmless.
  listAfter: statement<AccountRow & { seq: number }, InDirectory & { afterTime: number; afterSeq: number; limit: number }>(
    (d) => `SELECT *, ${d.order} AS seq FROM accounts WHERE ${WHOLE} AND (join_time, ${d.order}) > (:afterTime, :afterSeq)
     ORDER BY join_time, ${d.order} LIMIT :limit`,
  ),
  // Filtered lists on PostgreSQL: one statement each, on a connection of the request's own.
  // SQLite reads them in bounded steps instead (src/storage/sqlite/account-scan.ts). Each scope
  // has its own: a prepared statement may run on a generic plan, and one with `:folderId IS
  // NULL OR` would walk the whole directory's join order to find one folder's members.
  listMatching: statement<AccountRow, InDirectory & Match & Page>({ postgres: pgPage(WHOLE) }),
  listMatchingInFolder: statement<AccountRow, InFolder & Match & Page>({ postgres: pgPage(FOLDER) }),
  countMatching: statement<Count, InDirectory & Match>({ postgres: pgCount(WHOLE) }),
  countMatchingInFolder: statement<Count, InFolder & Match>({ postgres: pgCount(FOLDER) }),
  listAfterMatching: statement<AccountRow & { seq: number }, InDirectory & Match & { afterTime: number; afterSeq: number; limit: number }>({
    postgres: `SELECT * FROM accounts WHERE ${WHOLE} AND ${PG_MATCH} AND (join_time, seq) > (:afterTime::bigint, :afterSeq::bigint)
     ORDER BY join_time, seq LIMIT :limit`,
  }),
  // The directory's count, kept by triggers (migration 20), less the account named if it is there.
  countMembers: statement<Count, InDirectory & { exceptId: string }>(
    `SELECT coalesce((SELECT accounts FROM directory_account_counts WHERE directory_id = :directoryId), 0)
      - (SELECT count(*) FROM accounts WHERE id = :exceptId AND directory_id = :directoryId) AS n`,
  ),
  batchAll: statement<AccountRow, InDirectory & { afterId: string; limit: number }>(
    'SELECT * FROM accounts WHERE directory_id = :directoryId AND id > :afterId ORDER BY id LIMIT :limit',
  ),
  batchInFolder: statement<AccountRow, InFolder & { afterId: string; limit: number }>(
    'SELECT * FROM accounts WHERE directory_id = :directoryId AND folder_id = :folderId AND id > :afterId ORDER BY id LIMIT :limit',
  ),
  existing: statement<{ id: string }, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT id FROM accounts WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}`,
  ),
  delete: statement<NoRow, { id: string }>('DELETE FROM accounts WHERE id = :id'),
};
const s = statements;

/**
 * @param pause SQLite's filtered lists call it between two steps: it lets other work on the
 * connection run, and throws when the request's budget is spent (SqliteStore.pause).
 */
export function accountRepo(x: Executor, pause: () => Promise<void> = async () => {}): AccountRepo {
  const scan = accountScan(x, pause);
  const isFiltered = (f: AccountFilter) => f.keyword !== null || f.tags !== null;
  const match = (f: AccountFilter): Match => ({ keyword: f.keyword, tags: f.tags && filterJson(f.tags) });
  const placeOf = (c: AccountCursor) => ({ time: c.joinTime, seq: c.seq });

  /** How many accounts of the scope match; an unfiltered scope is counted in its join-order index. */
  async function counted(directoryId: string, f: AccountFilter): Promise<number> {
    const { folderId } = f;
    if (!isFiltered(f)) return (await (folderId === null ? x.one(s.count, { directoryId }) : x.one(s.countInFolder, { directoryId, folderId })))!.n;
    if (x.dialect === 'sqlite') return (await scan(directoryId, f, { from: BEFORE_ALL, skip: 0, take: 0, countAll: true })).total;
    const m = match(f);
    return (await (folderId === null ? x.one(s.countMatching, { directoryId, ...m }) : x.one(s.countMatchingInFolder, { directoryId, folderId, ...m })))!.n;
  }

  /** One page of the scope's matches, `total` of them in all. */
  async function page(directoryId: string, f: AccountFilter, limit: number, offset: number) {
    const { folderId } = f;
    if (!isFiltered(f))
      return folderId === null ? x.all(s.list, { directoryId, limit, offset }) : x.all(s.listInFolder, { directoryId, folderId, limit, offset });
    const m = match(f);
    return folderId === null
      ? x.all(s.listMatching, { directoryId, ...m, limit, offset })
      : x.all(s.listMatchingInFolder, { directoryId, folderId, ...m, limit, offset });
  }

  const insertMany = async (accounts: AccountRecord[]) => {
    if (accounts.length === 0) return;
    // One statement for the whole batch either way; see insertJson and insertColumns.
    if (x.dialect === 'sqlite') {
      await x.run(s.insertJson, { accounts: JSON.stringify(accounts) });
      return;
    }
    const rows = accounts.map(columns);
    const column = <K extends keyof ReturnType<typeof columns>>(k: K) => rows.map((r) => r[k]);
    await x.run(s.insertColumns, {
      id: column('id'),
      directoryId: column('directoryId'),
      folderId: column('folderId'),
      accountName: column('accountName'),
      displayName: column('displayName'),
      type: column('type'),
      joinMethod: column('joinMethod'),
      joinTime: column('joinTime'),
      modifyTime: column('modifyTime'),
    });
  };

  return {
    insertMany,
    insert: (a) => insertMany([a]),
    async update(a) {
      await x.run(s.update, columns(a));
    },
    async byId(id) {
      const r = await x.one(s.byId, { id });
      return r && toAccount(r);
    },
    async byDisplayName(directoryId, displayName) {
      const r = await x.one(s.byDisplayName, { directoryId, displayName });
      return r && toAccount(r);
    },
    async byIds(directoryId, ids) {
      return (await x.all(s.byIds, { directoryId, ids })).map(toAccount);
    },
    async byNamePrefix(directoryId, prefix, afterName, limit) {
      return (await x.all(s.byNamePrefix, { directoryId, ...namePrefixRange(prefix, afterName), limit })).map(toAccount);
    },
    async countInFolders(directoryId, folderIds, cap) {
      const rows = await x.all(s.countInFolders, { directoryId, folderIds, cap });
      return new Map(rows.filter((r) => r.n > 0).map((r) => [r.folder_id, r.n]));
    },
    async byAccountName(accountName) {
      const r = await x.one(s.byAccountName, { accountName });
      return r && toAccount(r);
    },
    async list(directoryId, filter, { limit, offset }) {
      if (isFiltered(filter) && x.dialect === 'sqlite') {
        const { total, rows } = await scan(directoryId, filter, { from: BEFORE_ALL, skip: offset, take: limit, countAll: true });
        return { total, items: rows.map((r) => r.account) };
      }
      // Past the last match (PageNumber up to 1,000,000,000) there is no page to read.
      const total = await counted(directoryId, filter);
      return { total, items: offset < total ? (await page(directoryId, filter, limit, offset)).map(toAccount) : [] };
    },
    async listAfter(directoryId, m, after, limit) {
      const from = after ?? BEFORE_ANY_ACCOUNT;
      const filter = { ...m, folderId: null };
      const place = { afterTime: from.joinTime, afterSeq: from.seq, limit };
      if (!isFiltered(filter)) return (await x.all(s.listAfter, { directoryId, ...place })).map(toPlacedAccount);
      if (x.dialect === 'sqlite') return (await scan(directoryId, filter, { from: placeOf(from), skip: 0, take: limit, countAll: false })).rows;
      return (await x.all(s.listAfterMatching, { directoryId, ...match(filter), ...place })).map(toPlacedAccount);
    },
    count: counted,
    async existing(directoryId, ids) {
      return (await x.all(s.existing, { directoryId, ids })).map((r) => r.id);
    },
    async delete(id) {
      await x.run(s.delete, { id });
    },
    async batchInFolder(directoryId, folderId, afterId, limit) {
      const rows =
        folderId === null
          ? await x.all(s.batchAll, { directoryId, afterId, limit })
          : await x.all(s.batchInFolder, { directoryId, folderId, afterId, limit });
      return rows.map(toAccount);
    },
    async countInFolder(directoryId, folderId) {
      return counted(directoryId, { folderId, keyword: null, tags: null });
    },
    async countMembers(directoryId, exceptId) {
      return (await x.one(s.countMembers, { directoryId, exceptId }))!.n;
    },
  };
}
