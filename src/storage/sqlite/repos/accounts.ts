import type { Db } from '../db.js';
import { toAccount as toRecord, type AccountRow as Row } from '../../rows/accounts.js';
import type { AccountRepo } from '../../store.js';

const MATCH = `(? IS NULL OR instr(lower(display_name), lower(?)) > 0 OR instr(id, ?) > 0 OR instr(lower(account_name), lower(?)) > 0)`;

export function accountRepo(db: Db): AccountRepo {
  const insert = db.prepare(
    `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
     VALUES (@id, @directoryId, @folderId, @accountName, @displayName, @type, @joinMethod, @joinTime, @modifyTime)`,
  );
  const update = db.prepare(
    `UPDATE accounts SET directory_id = @directoryId, folder_id = @folderId, account_name = @accountName,
       display_name = @displayName, type = @type, join_method = @joinMethod, join_time = @joinTime, modify_time = @modifyTime
     WHERE id = @id`,
  );
  const byId = db.prepare('SELECT * FROM accounts WHERE id = ?');
  const byDisplayName = db.prepare('SELECT * FROM accounts WHERE directory_id = ? AND display_name = ?');
  const byAccountName = db.prepare('SELECT * FROM accounts WHERE account_name = ?');
  const list = db.prepare(
    `SELECT * FROM accounts WHERE directory_id = ? AND (? IS NULL OR folder_id = ?) AND ${MATCH}
     ORDER BY join_time, id LIMIT ? OFFSET ?`,
  );
  const count = db.prepare(`SELECT count(*) AS n FROM accounts WHERE directory_id = ? AND (? IS NULL OR folder_id = ?) AND ${MATCH}`);
  const batchAll = db.prepare('SELECT * FROM accounts WHERE directory_id = ? AND id > ? ORDER BY id LIMIT ?');
  return {
    async insert(a) {
      insert.run(a);
    },
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
    async list(directoryId, folderId, keyword, page) {
      const args = [directoryId, folderId, folderId, keyword, keyword, keyword, keyword];
      const total = (count.get(...args) as { n: number }).n;
      const rows = list.all(...args, page.limit, page.offset) as Row[];
      return { total, items: rows.map(toRecord) };
    },
    async batchInFolders(directoryId, folderIds, afterId, limit) {
      if (folderIds === null) return (batchAll.all(directoryId, afterId, limit) as Row[]).map(toRecord);
      if (folderIds.length === 0) return [];
      const marks = folderIds.map(() => '?').join(',');
      const rows = db
        .prepare(`SELECT * FROM accounts WHERE directory_id = ? AND folder_id IN (${marks}) AND id > ? ORDER BY id LIMIT ?`)
        .all(directoryId, ...folderIds, afterId, limit);
      return (rows as Row[]).map(toRecord);
    },
    async countInFolder(directoryId, folderId) {
      return (count.get(directoryId, folderId, folderId, null, null, null, null) as { n: number }).n;
    },
  };
}
