import type Database from 'better-sqlite3';
import { prepareAll, type Db } from '../db.js';
import { listParam } from '../lists.js';
import type { AccountRecord } from '../../records.js';
import { filterJson } from '../../rows/directory-state.js';
import { carriesEveryTag } from '../tag-filter.js';
import { toAccount as toRecord, toPlacedAccount, type AccountRow as Row } from '../../rows/accounts.js';
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
 * the rowid after it.
 */
const page = (where: string) => `SELECT * FROM accounts WHERE ${where} ORDER BY join_time, rowid LIMIT @limit OFFSET @offset`;
// A page of ListAccounts by NextToken: the keyset walks the join-order index.
const pageAfter = (where: string) => `SELECT *, rowid AS seq FROM accounts WHERE ${where}
    AND (@afterTime IS NULL OR join_time > @afterTime OR (join_time = @afterTime AND rowid > @afterSeq))
    ORDER BY join_time, rowid LIMIT @limit`;
const count = (where: string) => `SELECT count(*) AS n FROM accounts WHERE ${where}`;

type Statement = Database.Statement<unknown[]>;

const filterArgs = (directoryId: string, f: AccountFilter) => ({
  d: directoryId,
  folder: f.folderId,
  keyword: f.keyword,
  tags: f.tags && filterJson(f.tags),
});

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  insertMany: `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
    SELECT value->>'id', value->>'directoryId', value->>'folderId', value->>'accountName', value->>'displayName',
      value->>'type', value->>'joinMethod', value->>'joinTime', value->>'modifyTime' FROM json_each(?)`,
  batchAll: 'SELECT * FROM accounts WHERE directory_id = ? AND id > ? ORDER BY id LIMIT ?',
  batchInFolder: 'SELECT * FROM accounts WHERE directory_id = ? AND folder_id = ? AND id > ? ORDER BY id LIMIT ?',
  list: page(WHOLE_DIRECTORY),
  listInFolder: page(ONE_FOLDER),
  listAfter: pageAfter(WHOLE_DIRECTORY),
  listAfterInFolder: pageAfter(ONE_FOLDER),
  count: count(WHOLE_DIRECTORY),
  countInFolder: count(ONE_FOLDER),
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
  // The statement of the filter's scope: the whole directory, or one folder.
  const scoped = (f: AccountFilter, whole: Statement, inFolder: Statement) => (f.folderId === null ? whole : inFolder);
  const counted = (directoryId: string, f: AccountFilter) => (scoped(f, p.count, p.countInFolder).get(filterArgs(directoryId, f)) as { n: number }).n;
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
      const rows = scoped(filter, p.list, p.listInFolder).all(args) as Row[];
      return { total: counted(directoryId, filter), items: rows.map(toRecord) };
    },
    async listAfter(directoryId, filter, after, limit) {
      const args = { ...filterArgs(directoryId, filter), afterTime: after?.joinTime ?? null, afterSeq: after?.seq ?? null, limit };
      return (scoped(filter, p.listAfter, p.listAfterInFolder).all(args) as Array<Row & { seq: number }>).map(toPlacedAccount);
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
  };
}
