import { toFolder, type FolderRow } from '../../rows/folders.js';
import type { FolderRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

const MATCH = '($3::text IS NULL OR strpos(lower(name), lower($3)) > 0)';

const s = {
  insert: sql('INSERT INTO folders (id, directory_id, parent_id, name, depth, create_time) VALUES ($1, $2, $3, $4, $5, $6)'),
  byId: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1 AND id = $2'),
  byParentName: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1 AND parent_id = $2 AND name = $3'),
  children: sql<FolderRow>(
    `SELECT * FROM folders WHERE directory_id = $1 AND parent_id = $2 AND ${MATCH} ORDER BY create_time, id LIMIT $4 OFFSET $5`,
  ),
  countChildren: sql<Count>(`SELECT count(*) AS n FROM folders WHERE directory_id = $1 AND parent_id = $2 AND ${MATCH}`),
  delete: sql('DELETE FROM folders WHERE directory_id = $1 AND id = $2'),
  all: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1'),
};

export function folderRepo(q: Queryable): FolderRepo {
  return {
    async insert(f) {
      await s.insert.run(q, [f.id, f.directoryId, f.parentId, f.name, f.depth, f.createTime]);
    },
    async byId(directoryId, id) {
      const r = await s.byId.one(q, [directoryId, id]);
      return r && toFolder(r);
    },
    async byParentAndName(directoryId, parentId, name) {
      const r = await s.byParentName.one(q, [directoryId, parentId, name]);
      return r && toFolder(r);
    },
    async children(directoryId, parentId, keyword, page) {
      const total = (await s.countChildren.one(q, [directoryId, parentId, keyword]))!.n;
      const rows = await s.children.all(q, [directoryId, parentId, keyword, page.limit, page.offset]);
      return { total, items: rows.map(toFolder) };
    },
    async countChildren(directoryId, parentId) {
      return (await s.countChildren.one(q, [directoryId, parentId, null]))!.n;
    },
    async all(directoryId) {
      return (await s.all.all(q, [directoryId])).map(toFolder);
    },
    async delete(directoryId, id) {
      await s.delete.run(q, [directoryId, id]);
    },
  };
}
