import type { Executor } from '../executor.js';
import { toDirectory, type DirectoryRow } from '../rows/directories.js';
import { statement, type NoRow } from '../statement.js';
import type { DirectoryRepo } from '../store.js';

const s = {
  insert: statement<
    NoRow,
    { id: string; masterAccountId: string; masterAccountName: string; rootFolderId: string; createTime: number }
  >(
    `INSERT INTO directories (id, master_account_id, master_account_name, root_folder_id, create_time)
     VALUES (:id, :masterAccountId, :masterAccountName, :rootFolderId, :createTime)`,
  ),
  byId: statement<DirectoryRow, { id: string }>('SELECT * FROM directories WHERE id = :id'),
  byMaster: statement<DirectoryRow, { accountId: string }>('SELECT * FROM directories WHERE master_account_id = :accountId'),
  delete: statement<NoRow, { id: string }>('DELETE FROM directories WHERE id = :id'),
};

export function directoryRepo(x: Executor): DirectoryRepo {
  return {
    async insert(d) {
      const { id, masterAccountId, masterAccountName, rootFolderId, createTime } = d;
      await x.run(s.insert, { id, masterAccountId, masterAccountName, rootFolderId, createTime });
    },
    async byId(id) {
      const r = await x.one(s.byId, { id });
      return r && toDirectory(r);
    },
    async byMasterAccount(accountId) {
      const r = await x.one(s.byMaster, { accountId });
      return r && toDirectory(r);
    },
    async delete(id) {
      await x.run(s.delete, { id });
    },
  };
}
