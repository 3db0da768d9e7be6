import type { Db } from '../db.js';
import { toFolder as toRecord, type FolderRow as Row } from '../../rows/folders.js';
import type { FolderRepo } from '../../store.js';

export function folderRepo(db: Db): FolderRepo {
  const insert = db.prepare(
    'INSERT INTO folders (id, directory_id, parent_id, name, depth, create_time) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM folders WHERE directory_id = ? AND id = ?');
  const byParentName = db.prepare('SELECT * FROM folders WHERE directory_id = ? AND parent_id = ? AND name = ?');
  const children = db.prepare(
    `SELECT * FROM folders WHERE directory_id = ? AND parent_id = ? AND (? IS NULL OR instr(lower(name), lower(?)) > 0)
     ORDER BY create_time, id LIMIT ? OFFSET ?`,
  );
  const countChildrenMatching = db.prepare(
    `SELECT count(*) AS n FROM folders WHERE directory_id = ? AND parent_id = ? AND (? IS NULL OR instr(lower(name), lower(?)) > 0)`,
  );
  const del = db.prepare('DELETE FROM folders WHERE directory_id = ? AND id = ?');
  const all = db.prepare('SELECT * FROM folders WHERE directory_id = ?');
  return {
    async insert(f) {
      insert.run(f.id, f.directoryId, f.parentId, f.name, f.depth, f.createTime);
    },
    async byId(directoryId, id) {
      const r = byId.get(directoryId, id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byParentAndName(directoryId, parentId, name) {
      const r = byParentName.get(directoryId, parentId, name) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async children(directoryId, parentId, keyword, page) {
      const total = (countChildrenMatching.get(directoryId, parentId, keyword, keyword) as { n: number }).n;
      const rows = children.all(directoryId, parentId, keyword, keyword, page.limit, page.offset) as Row[];
      return { total, items: rows.map(toRecord) };
    },
    async countChildren(directoryId, parentId) {
      return (countChildrenMatching.get(directoryId, parentId, null, null) as { n: number }).n;
    },
    async all(directoryId) {
      return (all.all(directoryId) as Row[]).map(toRecord);
    },
    async delete(directoryId, id) {
      del.run(directoryId, id);
    },
  };
}
