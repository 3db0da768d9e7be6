import { prepareAll, type Db } from '../db.js';
import { listParam } from '../lists.js';
import type { AccountRecord, TagFilter } from '../../records.js';
import { carriesEveryTag, tagSlots } from '../tag-filter.js';
import { BEFORE_ANY_ACCOUNT, inScope, namePrefixRange, toAccount as toRecord, toPlacedAccount, type AccountRow as Row } from '../../rows/accounts.js';
import type { AccountCursor, AccountFilter, AccountRepo, PlacedAccount } from '../../store.js';
import { BEFORE_ALL, readWindows, windowSize, windowStatements, type Place, type Want } from '../windows.js';

/** Named parameters: @d directory, @keyword (null: none), the tag slots (see tagSlots). */
const MATCH = `(@keyword IS NULL OR instr(lower(display_name), lower(@keyword)) > 0 OR instr(accounts.id, @keyword) > 0
    OR instr(lower(account_name), lower(@keyword)) > 0)
  AND ${carriesEveryTag('Account', 'accounts.id')}`;

/**
 * Who a list reads: the whole directory, or the direct members of folder @folder. Each has
 * statements of its own: SQLite plans a statement once, so a shared `@folder IS NULL OR` would
 * walk the whole directory's join order to find one folder's members.
 */
const SCOPE = { whole: 'directory_id = @d', folder: 'directory_id = @d AND folder_id = @folder' };
const WHOLE_DIRECTORY = `${SCOPE.whole} AND ${MATCH}`;
const ONE_FOLDER = `${SCOPE.folder} AND ${MATCH}`;

/**
 * Join order: join time, then the rowid (the order rows were written) for accounts that
 * joined in the same millisecond. The join-order indexes end with join_time; SQLite carries
 * the rowid after it. SQLite gives a new row max(rowid) + 1, so after the newest row is
 * deleted its number is used again: a NextToken that stopped on exactly that account skips
 * an account that joins in the same millisecond. And a rebuild of `accounts` must copy the
 * rows in rowid order, or ties and tokens change.
 */
const page = (where: string) => `SELECT * FROM accounts WHERE ${where} ORDER BY join_time, rowid LIMIT @limit OFFSET @offset`;
const count = (where: string) => `SELECT count(*) AS n FROM accounts WHERE ${where}`;

/** The windows of a filtered list of each scope (see readWindows), in join order. */
const windowsOf = (scope: string, index: string) => windowStatements('accounts', index, 'join_time', scope, MATCH);
const WHOLE_WINDOWS = windowsOf(SCOPE.whole, 'accounts_joined');
const FOLDER_WINDOWS = windowsOf(SCOPE.folder, 'accounts_folder_joined');

/**
 * The accounts carrying tag (@key, @value), or key @key with any value: read from the tag
 * indexes first, each account then found by its primary key and checked against the whole
 * filter. Used when that tag is rare (see `scan`), so the rows are few and sorted in memory.
 */
const TAG_IS = (value: boolean) =>
  `t.directory_id = @d AND t.resource_type = 'Account' AND t.tag_key = @key${value ? ' AND t.tag_value = @value' : ''}`;
const driven = (value: boolean) =>
  `SELECT accounts.*, accounts.rowid AS seq FROM resource_tags t CROSS JOIN accounts ON accounts.id = t.resource_id
   WHERE ${TAG_IS(value)} AND accounts.directory_id = @d AND (@folder IS NULL OR accounts.folder_id = @folder) AND ${MATCH}`;
/** How many accounts carry a tag, counted no further than @bound. */
const tagged = (value: boolean) => `SELECT count(*) AS n FROM (SELECT 1 FROM resource_tags t WHERE ${TAG_IS(value)} LIMIT @bound)`;

const filterArgs = (directoryId: string, f: AccountFilter) => ({
  d: directoryId,
  folder: f.folderId,
  keyword: f.keyword,
  ...tagSlots(f.tags),
});

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  // json_each walks the array in order, so the rowids keep the join order of a batch.
  insertMany: `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
    SELECT value->>'id', value->>'directoryId', value->>'folderId', value->>'accountName', value->>'displayName',
      value->>'type', value->>'joinMethod', value->>'joinTime', value->>'modifyTime' FROM json_each(?)`,
  batchAll: 'SELECT * FROM accounts WHERE directory_id = ? AND id > ? ORDER BY id LIMIT ?',
  batchInFolder: 'SELECT * FROM accounts WHERE directory_id = ? AND folder_id = ? AND id > ? ORDER BY id LIMIT ?',
  byDisplayName: 'SELECT * FROM accounts WHERE directory_id = ? AND display_name = ?',
  byIds: 'SELECT * FROM accounts WHERE directory_id = ? AND id IN (SELECT value FROM json_each(?))',
  // A range of the display-name index (see namePrefixRange), cut at the page's size. The index
  // is named: without statistics SQLite would rather take the directory's join order and sort.
  byNamePrefix: `SELECT * FROM accounts INDEXED BY accounts_display_name
    WHERE display_name >= @from AND display_name < @to AND directory_id = @d
    AND display_name <> @skip ORDER BY display_name LIMIT @limit`,
  // Each folder's members, counted in its index range and no further than @cap.
  countInFolders: `SELECT f.value AS folder_id,
    (SELECT count(*) FROM (SELECT 1 FROM accounts WHERE directory_id = @d AND folder_id = f.value LIMIT @cap)) AS n
    FROM json_each(@ids) f`,
  list: page(WHOLE_DIRECTORY),
  listInFolder: page(ONE_FOLDER),
  // A page of ListAccounts by NextToken: a row-value comparison, so the keyset is where the
  // index range starts, not a filter over every row before it. The first page starts before
  // any place (the repo passes the smallest values).
  listAfter: `SELECT *, rowid AS seq FROM accounts WHERE ${WHOLE_DIRECTORY}
    AND (join_time, rowid) > (@afterTime, @afterSeq) ORDER BY join_time, rowid LIMIT @limit`,
  count: count(WHOLE_DIRECTORY),
  countInFolder: count(ONE_FOLDER),
  // The directory's count, kept by triggers (migration 20), less the account named if it is there.
  countMembers: `SELECT coalesce((SELECT accounts FROM directory_account_counts WHERE directory_id = @d), 0)
    - (SELECT count(*) FROM accounts WHERE id = @except AND directory_id = @d) AS n`,
  windowEnd: WHOLE_WINDOWS.end,
  windowEndInFolder: FOLDER_WINDOWS.end,
  windowCount: WHOLE_WINDOWS.count,
  windowCountInFolder: FOLDER_WINDOWS.count,
  windowRows: WHOLE_WINDOWS.rows,
  windowRowsInFolder: FOLDER_WINDOWS.rows,
  drivenByPair: driven(true),
  drivenByKey: driven(false),
  taggedWithPair: tagged(true),
  taggedWithKey: tagged(false),
};

/**
 * @param pause called between two steps of a long read: lets other work on the connection
 * run, and throws when the request's budget is spent (SqliteStore.pause).
 */
export function accountRepo(db: Db, pause: () => Promise<void>): AccountRepo {
  const p = prepareAll(db, statements);
  const update = db.prepare(
    `UPDATE accounts SET directory_id = @directoryId, folder_id = @folderId, account_name = @accountName,
       display_name = @displayName, type = @type, join_method = @joinMethod, join_time = @joinTime, modify_time = @modifyTime
     WHERE id = @id`,
  );
  const byId = db.prepare('SELECT * FROM accounts WHERE id = ?');
  const byAccountName = db.prepare('SELECT * FROM accounts WHERE account_name = ?');
  const existing = db.prepare('SELECT id FROM accounts WHERE directory_id = ? AND id IN (SELECT value FROM json_each(?))');
  const del = db.prepare('DELETE FROM accounts WHERE id = ?');
  const insertMany = async (accounts: AccountRecord[]) => {
    if (accounts.length > 0) p.insertMany.run(listParam(accounts));
  };
  const countAll = (directoryId: string, f: AccountFilter) => (inScope(f, p.count, p.countInFolder).get(filterArgs(directoryId, f)) as { n: number }).n;

  /** The tag carried by the fewest accounts, if fewer than `bound` carry it. */
  function rarest(directoryId: string, tags: TagFilter[], bound: number): TagFilter | null {
    let best: { tag: TagFilter; n: number } | null = null;
    for (const tag of tags) {
      const args = { d: directoryId, key: tag.key, value: tag.value, bound };
      const n = ((tag.value === null ? p.taggedWithKey : p.taggedWithPair).get(args) as { n: number }).n;
      if (n < bound && (!best || n < best.n)) best = { tag, n };
    }
    return best?.tag ?? null;
  }

  /**
   * A filtered list's matches in join order, in bounded steps with a pause between two. A
   * rare tag (fewer accounts carry it than a window holds) drives the list: its accounts are
   * read at once and sorted. Otherwise the scope is read window by window (readWindows).
   */
  async function scan(directoryId: string, f: AccountFilter, want: Want): Promise<{ total: number; rows: PlacedAccount[] }> {
    const size = windowSize(f.tags?.length ?? 0);
    const args = filterArgs(directoryId, f);
    const rare = f.tags && rarest(directoryId, f.tags, size);
    if (rare) {
      const statement = rare.value === null ? p.drivenByKey : p.drivenByPair;
      const rows = (statement.all({ ...args, key: rare.key, value: rare.value }) as Array<Row & { seq: number }>)
        .map(toPlacedAccount)
        .filter(({ place }) => place.joinTime > want.from.time || (place.joinTime === want.from.time && place.seq > want.from.seq))
        .sort((a, b) => a.place.joinTime - b.place.joinTime || a.place.seq - b.place.seq);
      return { total: rows.length, rows: rows.slice(want.skip, want.skip + want.take) };
    }
    const [end, count, rows] =
      f.folderId === null ? [p.windowEnd, p.windowCount, p.windowRows] : [p.windowEndInFolder, p.windowCountInFolder, p.windowRowsInFolder];
    const read = await readWindows<Row & { seq: number }>({ end, count, rows }, args, size, want, pause);
    return { total: read.total, rows: read.rows.map(toPlacedAccount) };
  }

  const isFiltered = (f: AccountFilter) => f.keyword !== null || f.tags !== null;
  const placeOf = (c: AccountCursor): Place => ({ time: c.joinTime, seq: c.seq });

  return {
    insertMany,
    insert: (a) => insertMany([a]),
    async update(a) {
      update.run(a);
    },
    async byId(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byDisplayName(directoryId, displayName) {
      const r = p.byDisplayName.get(directoryId, displayName) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byIds(directoryId, ids) {
      return (p.byIds.all(directoryId, listParam(ids)) as Row[]).map(toRecord);
    },
    async byNamePrefix(directoryId, prefix, afterName, limit) {
      const range = namePrefixRange(prefix, afterName);
      return (p.byNamePrefix.all({ d: directoryId, ...range, limit }) as Row[]).map(toRecord);
    },
    async countInFolders(directoryId, folderIds, cap) {
      const rows = p.countInFolders.all({ d: directoryId, ids: listParam(folderIds), cap }) as Array<{ folder_id: string; n: number }>;
      return new Map(rows.filter((r) => r.n > 0).map((r) => [r.folder_id, r.n]));
    },
    async byAccountName(accountName) {
      const r = byAccountName.get(accountName) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async list(directoryId, filter, page) {
      if (isFiltered(filter)) {
        const { total, rows } = await scan(directoryId, filter, { from: BEFORE_ALL, skip: page.offset, take: page.limit, countAll: true });
        return { total, items: rows.map((r) => r.account) };
      }
      // Unfiltered, the count and the page walk the join-order index alone; past the last
      // account (PageNumber up to 1,000,000,000) there is no page to read.
      const total = countAll(directoryId, filter);
      const args = { ...filterArgs(directoryId, filter), limit: page.limit, offset: page.offset };
      const rows = page.offset < total ? (inScope(filter, p.list, p.listInFolder).all(args) as Row[]) : [];
      return { total, items: rows.map(toRecord) };
    },
    async listAfter(directoryId, match, after, limit) {
      const from = after ?? BEFORE_ANY_ACCOUNT;
      const filter = { ...match, folderId: null };
      if (isFiltered(filter)) return (await scan(directoryId, filter, { from: placeOf(from), skip: 0, take: limit, countAll: false })).rows;
      const args = { ...filterArgs(directoryId, filter), afterTime: from.joinTime, afterSeq: from.seq, limit };
      return (p.listAfter.all(args) as Array<Row & { seq: number }>).map(toPlacedAccount);
    },
    async count(directoryId, filter) {
      if (!isFiltered(filter)) return countAll(directoryId, filter);
      return (await scan(directoryId, filter, { from: BEFORE_ALL, skip: 0, take: 0, countAll: true })).total;
    },
    async existing(directoryId, ids) {
      return (existing.all(directoryId, listParam(ids)) as Array<{ id: string }>).map((r) => r.id);
    },
    async delete(id) {
      del.run(id);
    },
    async batchInFolder(directoryId, folderId, afterId, limit) {
      const rows = folderId === null ? p.batchAll.all(directoryId, afterId, limit) : p.batchInFolder.all(directoryId, folderId, afterId, limit);
      return (rows as Row[]).map(toRecord);
    },
    async countInFolder(directoryId, folderId) {
      return countAll(directoryId, { folderId, keyword: null, tags: null });
    },
    async countMembers(directoryId, exceptId) {
      return (p.countMembers.get({ d: directoryId, except: exceptId }) as { n: number }).n;
    },
  };
}
