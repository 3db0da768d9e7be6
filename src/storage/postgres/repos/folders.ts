import { toFolder, toNamedChild, type FolderRow, type NamedChildRow } from '../../rows/folders.js';
import { filterJson } from '../../rows/directory-state.js';
import { carriesEveryTag } from '../tag-filter.js';
import type { FolderRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

/** $1 directory, $2 parent, $3 keyword or null, $4 tag conditions (JSON) or null. */
const MATCH = `($3::text IS NULL OR strpos(lower(name), lower($3)) > 0) AND ${carriesEveryTag('Folder', 'folders.id')}`;

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  count: sql<Count>('SELECT count(*) AS n FROM folders WHERE directory_id = $1 AND parent_id IS NOT NULL'),
  insert: sql('INSERT INTO folders (id, directory_id, parent_id, name, depth, create_time) VALUES ($1, $2, $3, $4, $5, $6)'),
  byId: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1 AND id = $2'),
  byIds: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1 AND id = ANY($2::text[])'),
  byParentName: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1 AND parent_id = $2 AND name = $3'),
  children: sql<FolderRow>(
    `SELECT * FROM folders WHERE directory_id = $1 AND parent_id = $2 AND ${MATCH} ORDER BY create_time, seq LIMIT $5 OFFSET $6`,
  ),
  countChildren: sql<Count>(`SELECT count(*) AS n FROM folders WHERE directory_id = $1 AND parent_id = $2 AND ${MATCH}`),
  delete: sql('DELETE FROM folders WHERE directory_id = $1 AND id = $2'),
  all: sql<FolderRow>('SELECT * FROM folders WHERE directory_id = $1'),
  rename: sql('UPDATE folders SET name = $3 WHERE directory_id = $1 AND id = $2'),
  existing: sql<{ id: string }>('SELECT id FROM folders WHERE directory_id = $1 AND id = ANY($2::text[])'),
  // The parents' children in the unique (parent, name) index; the numbering reads every child
  // of these parents, which the folder quota bounds.
  childrenByName: sql<NamedChildRow>(
    `SELECT * FROM (SELECT folders.*, (row_number() OVER (PARTITION BY parent_id ORDER BY name))::int AS n,
        (count(*) OVER (PARTITION BY parent_id))::int AS siblings
      FROM folders WHERE directory_id = $1 AND parent_id = ANY($2::text[]) AND name > $3) AS c
     WHERE n <= $4 ORDER BY parent_id, name`,
  ),
};
const s = statements;

export function folderRepo(q: Queryable): FolderRepo {
  return {
    async insert(f) {
      await s.insert.run(q, [f.id, f.directoryId, f.parentId, f.name, f.depth, f.createTime]);
    },
    async byId(directoryId, id) {
      const r = await s.byId.one(q, [directoryId, id]);
      return r && toFolder(r);
    },
    async byIds(directoryId, ids) {
      return (await s.byIds.all(q, [directoryId, ids])).map(toFolder);
    },
    async byParentAndName(directoryId, parentId, name) {
      const r = await s.byParentName.one(q, [directoryId, parentId, name]);
      return r && toFolder(r);
    },
    async children(directoryId, parentId, keyword, tags, page) {
      const args = [directoryId, parentId, keyword, tags && filterJson(tags)];
      const total = (await s.countChildren.one(q, args))!.n;
      const rows = await s.children.all(q, [...args, page.limit, page.offset]);
      return { total, items: rows.map(toFolder) };
    },
    async countChildren(directoryId, parentId) {
      return (await s.countChildren.one(q, [directoryId, parentId, null, null]))!.n;
    },
    async childrenByName(directoryId, parentIds, afterName, perParent) {
      return (await s.childrenByName.all(q, [directoryId, parentIds, afterName, perParent])).map(toNamedChild);
    },
    async count(directoryId) {
      return (await s.count.one(q, [directoryId]))!.n;
    },
    async all(directoryId) {
      return (await s.all.all(q, [directoryId])).map(toFolder);
    },
    async rename(directoryId, id, name) {
      await s.rename.run(q, [directoryId, id, name]);
    },
    async existing(directoryId, ids) {
      return (await s.existing.all(q, [directoryId, ids])).map((r) => r.id);
    },
    async delete(directoryId, id) {
      await s.delete.run(q, [directoryId, id]);
    },
  };
}
