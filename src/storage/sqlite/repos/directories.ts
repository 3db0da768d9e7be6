import type { Db } from '../db.js';
import { toDirectory as toRecord, type DirectoryRow as Row } from '../../rows/directories.js';
import type { DirectoryRepo } from '../../store.js';

export function directoryRepo(db: Db): DirectoryRepo {
  const insert = db.prepare(
    'INSERT INTO directories (id, master_account_id, master_account_name, root_folder_id, create_time) VALUES (?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM directories WHERE id = ?');
  const byMaster = db.prepare('SELECT * FROM directories WHERE master_account_id = ?');
  const del = db.prepare('DELETE FROM directories WHERE id = ?');
  return {
    async insert(d) {
      insert.run(d.id, d.masterAccountId, d.masterAccountName, d.rootFolderId, d.createTime);
    },
    async byId(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byMasterAccount(accountId) {
      const r = byMaster.get(accountId) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async delete(id) {
      del.run(id);
    },
  };
}
