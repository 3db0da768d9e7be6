import type { AccountRecord } from '../../records.js';
import { toAccount, type AccountRow } from '../../rows/accounts.js';
import type { AccountRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

/** $1 directory, $2 folder or null for all, $3 keyword or null. */
const WHERE = `directory_id = $1 AND ($2::text IS NULL OR folder_id = $2) AND ($3::text IS NULL
  OR strpos(lower(display_name), lower($3)) > 0 OR strpos(id, $3) > 0 OR strpos(lower(account_name), lower($3)) > 0)`;

const s = {
  insert: sql(
    `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  ),
  update: sql(
    `UPDATE accounts SET directory_id = $2, folder_id = $3, account_name = $4, display_name = $5, type = $6,
       join_method = $7, join_time = $8, modify_time = $9
     WHERE id = $1`,
  ),
  byId: sql<AccountRow>('SELECT * FROM accounts WHERE id = $1'),
  byDisplayName: sql<AccountRow>('SELECT * FROM accounts WHERE directory_id = $1 AND display_name = $2'),
  byAccountName: sql<AccountRow>('SELECT * FROM accounts WHERE account_name = $1'),
  list: sql<AccountRow>(`SELECT * FROM accounts WHERE ${WHERE} ORDER BY join_time, id LIMIT $4 OFFSET $5`),
  count: sql<Count>(`SELECT count(*) AS n FROM accounts WHERE ${WHERE}`),
  batchAll: sql<AccountRow>('SELECT * FROM accounts WHERE directory_id = $1 AND id > $2 ORDER BY id LIMIT $3'),
  batchInFolders: sql<AccountRow>(
    'SELECT * FROM accounts WHERE directory_id = $1 AND folder_id = ANY($2::text[]) AND id > $3 ORDER BY id LIMIT $4',
  ),
};

const columns = (a: AccountRecord) => [
  a.id, a.directoryId, a.folderId, a.accountName, a.displayName, a.type, a.joinMethod, a.joinTime, a.modifyTime,
];

export function accountRepo(q: Queryable): AccountRepo {
  return {
    async insert(a) {
      await s.insert.run(q, columns(a));
    },
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
    async byAccountName(accountName) {
      const r = await s.byAccountName.one(q, [accountName]);
      return r && toAccount(r);
    },
    async list(directoryId, folderId, keyword, page) {
      const args = [directoryId, folderId, keyword];
      const total = (await s.count.one(q, args))!.n;
      const rows = await s.list.all(q, [...args, page.limit, page.offset]);
      return { total, items: rows.map(toAccount) };
    },
    async batchInFolders(directoryId, folderIds, afterId, limit) {
      const rows =
        folderIds === null
          ? await s.batchAll.all(q, [directoryId, afterId, limit])
          : await s.batchInFolders.all(q, [directoryId, folderIds, afterId, limit]);
      return rows.map(toAccount);
    },
    async countInFolder(directoryId, folderId) {
      return (await s.count.one(q, [directoryId, folderId, null]))!.n;
    },
  };
}
