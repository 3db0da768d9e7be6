import { toDirectory, type DirectoryRow } from '../../rows/directories.js';
import type { DirectoryRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

const s = {
  insert: sql(
    'INSERT INTO directories (id, master_account_id, master_account_name, root_folder_id, create_time) VALUES ($1, $2, $3, $4, $5)',
  ),
  byId: sql<DirectoryRow>('SELECT * FROM directories WHERE id = $1'),
  byMaster: sql<DirectoryRow>('SELECT * FROM directories WHERE master_account_id = $1'),
  delete: sql('DELETE FROM directories WHERE id = $1'),
};

export function directoryRepo(q: Queryable): DirectoryRepo {
  return {
    async insert(d) {
      await s.insert.run(q, [d.id, d.masterAccountId, d.masterAccountName, d.rootFolderId, d.createTime]);
    },
    async byId(id) {
      const r = await s.byId.one(q, [id]);
      return r && toDirectory(r);
    },
    async byMasterAccount(accountId) {
      const r = await s.byMaster.one(q, [accountId]);
      return r && toDirectory(r);
    },
    async delete(id) {
      await s.delete.run(q, [id]);
    },
  };
}
