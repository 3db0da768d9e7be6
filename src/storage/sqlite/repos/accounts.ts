import { prepareAll, type Db } from '../db.js';
import { listParam } from '../lists.js';
import type { AccountRecord } from '../../records.js';
import { filterJson } from '../../rows/directory-state.js';
import { carriesEveryTag } from '../tag-filter.js';
import { BEFORE_ANY_ACCOUNT, inScope, toAccount as toRecord, toPlacedAccount, type AccountRow as Row } from '../../rows/accounts.js';
import type { AccountFilter, AccountRepo } from '../../store.js';

/** Named parameters: @d directory, @keyword (null: none), @tags (JSON conditions, null: none). */
const MATCH = `(@keyword IS NULL OR instr(lower(display_name), lower(@keyword)) > 0 OR instr(id, @keyword) > 0
    OR instr(lower(account_name), lower(@keyword)) > 0)
  AND ${carriesEveryTag('Account')}`;

/**
 * Who a list reads: the whole directory, or the direct members of folder @folder. Each has
 * statements of its own: SQLite plans a statement once, so a shared `@folder IS NULL OR` would
 * walk the whole directory's join order to find one folder's members.
 */
const WHOLE_DIRECTORY = `directory_id = @d AND ${MATCH}`;
const ONE_FOLDER = `directory_id = @d AND folder_id = @folder AND ${MATCH}`;

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

const filterArgs = (directoryId: string, f: AccountFilter) => ({
  d: directoryId,
  folder: f.folderId,
  keyword: f.keyword,
  tags: f.tags && filterJson(f.tags),
});

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  // json_each walks the array in order, so the rowids keep the join order of a batch.
  insertMany: `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
    SELECT value->>'id', value->>'directoryId', value->>'folderId', value->>'accountName', value->>'displayName',
      value->>'type', value->>'joinMethod', value->>'joinTime', value->>'modifyTime' FROM json_each(?)`,
  batchAll: 'SELECT * FROM accounts WHERE directory_id = ? AND id > ? ORDER BY id LIMIT ?',
  batchInFolder: 'SELECT * FROM accounts WHERE directory_id = ? AND folder_id = ? AND id > ? ORDER BY id LIMIT ?',
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
};

export function accountRepo(db: Db): AccountRepo {
  const p = prepareAll(db, statements);
  const update = db.prepare(
    `UPDATE accounts SET directory_id = @directoryId, folder_id = @folderId, account_name = @accountName,
       display_name = @displayName, type = @type, join_method = @joinMethod, join_time = @joinTime, modify_time = @modifyTime
     WHERE id = @id`,
  );
  const byId = db.prepare('SELECT * FROM accounts WHERE id = ?');
  const byDisplayName = db.prepare('SELECT * FROM accounts WHERE directory_id = ? AND display_name = ?');
  const byAccountName = db.prepare('SELECT * FROM accounts WHERE account_name = ?');
  const counted = (directoryId: string, f: AccountFilter) => (inScope(f, p.count, p.countInFolder).get(filterArgs(directoryId, f)) as { n: number }).n;
  const existing = db.prepare('SELECT id FROM accounts WHERE directory_id = ? AND id IN (SELECT value FROM json_each(?))');
  const del = db.prepare('DELETE FROM accounts WHERE id = ?');
  const insertMany = async (accounts: AccountRecord[]) => {
    if (accounts.length > 0) p.insertMany.run(listParam(accounts));
  };
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
      const r = byDisplayName.get(directoryId, displayName) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byAccountName(accountName) {
      const r = byAccountName.get(accountName) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async list(directoryId, filter, page) {
      const args = { ...filterArgs(directoryId, filter), limit: page.limit, offset: page.offset };
      const rows = inScope(filter, p.list, p.listInFolder).all(args) as Row[];
      return { total: counted(directoryId, filter), items: rows.map(toRecord) };
    },
    async listAfter(directoryId, match, after, limit) {
      const from = after ?? BEFORE_ANY_ACCOUNT;
      const args = { ...filterArgs(directoryId, { ...match, folderId: null }), afterTime: from.joinTime, afterSeq: from.seq, limit };
      return (p.listAfter.all(args) as Array<Row & { seq: number }>).map(toPlacedAccount);
    },
    async count(directoryId, filter) {
      return counted(directoryId, filter);
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
      return counted(directoryId, { folderId, keyword: null, tags: null });
    },
    async countMembers(directoryId, exceptId) {
      return (p.countMembers.get({ d: directoryId, except: exceptId }) as { n: number }).n;
    },
  };
}
