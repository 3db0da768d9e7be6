import { prepareAll, type Db } from '../db.js';
import { IN_LIST, listParam } from '../lists.js';
import { toFolder as toRecord, toNamedChild, type FolderRow as Row, type NamedChildRow } from '../../rows/folders.js';
import { carriesEveryTag, tagSlots } from '../tag-filter.js';
import type { FolderRepo } from '../../store.js';
import { BEFORE_ALL, readWindows, windowSize, windowStatements } from '../windows.js';

/** Named parameters: @d directory, @parent, @keyword (null: none), the tag slots (see tagSlots). */
const CHILD_OF = 'directory_id = @d AND parent_id = @parent';
const MATCH = `(@keyword IS NULL OR instr(lower(name), lower(@keyword)) > 0) AND ${carriesEveryTag('Folder', 'folders.id')}`;
const CHILDREN = `${CHILD_OF} AND ${MATCH}`;
/** A filtered list of a folder's children, window by window in creation order (see readWindows). */
const WINDOWS = windowStatements('folders', 'folders_created', 'create_time', CHILD_OF, MATCH);

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  count: 'SELECT count(*) AS n FROM folders WHERE directory_id = ? AND parent_id IS NOT NULL',
  childWindowEnd: WINDOWS.end,
  childWindowCount: WINDOWS.count,
  childWindowRows: WINDOWS.rows,
  // The parents' children in the unique (parent, name) index; the numbering reads every child
  // of these parents, which the folder quota bounds.
  childrenByName: `SELECT * FROM (SELECT folders.*, row_number() OVER (PARTITION BY parent_id ORDER BY name) AS n,
      count(*) OVER (PARTITION BY parent_id) AS siblings
    FROM folders WHERE directory_id = @d AND parent_id IN (SELECT value FROM json_each(@parents)) AND name > @after)
    WHERE n <= @limit ORDER BY parent_id, name`,
};

/**
 * @param pause called between two steps of a long read: lets other work on the connection
 * run, and throws when the request's budget is spent (SqliteStore.pause).
 */
export function folderRepo(db: Db, pause: () => Promise<void>): FolderRepo {
  const p = prepareAll(db, statements);
  const insert = db.prepare(
    'INSERT INTO folders (id, directory_id, parent_id, name, depth, create_time) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare('SELECT * FROM folders WHERE directory_id = ? AND id = ?');
  const byIds = db.prepare(`SELECT * FROM folders WHERE directory_id = ? AND id IN (${IN_LIST})`);
  const byParentName = db.prepare('SELECT * FROM folders WHERE directory_id = ? AND parent_id = ? AND name = ?');
  const children = db.prepare(`SELECT * FROM folders WHERE ${CHILDREN} ORDER BY create_time, rowid LIMIT @limit OFFSET @offset`);
  const countChildrenMatching = db.prepare(`SELECT count(*) AS n FROM folders WHERE ${CHILDREN}`);
  const childArgs = (d: string, parent: string, keyword: string | null, tags: Array<{ key: string; value: string | null }> | null) => ({
    d,
    parent,
    keyword,
    ...tagSlots(tags),
  });
  const del = db.prepare('DELETE FROM folders WHERE directory_id = ? AND id = ?');
  const all = db.prepare('SELECT * FROM folders WHERE directory_id = ?');
  const rename = db.prepare('UPDATE folders SET name = ? WHERE directory_id = ? AND id = ?');
  const existing = db.prepare('SELECT id FROM folders WHERE directory_id = ? AND id IN (SELECT value FROM json_each(?))');
  return {
    async insert(f) {
      insert.run(f.id, f.directoryId, f.parentId, f.name, f.depth, f.createTime);
    },
    async byId(directoryId, id) {
      const r = byId.get(directoryId, id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byIds(directoryId, ids) {
      return (byIds.all(directoryId, listParam(ids)) as Row[]).map(toRecord);
    },
    async byParentAndName(directoryId, parentId, name) {
      const r = byParentName.get(directoryId, parentId, name) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async children(directoryId, parentId, keyword, tags, page) {
      const args = childArgs(directoryId, parentId, keyword, tags);
      if (keyword !== null || tags !== null) {
        const want = { from: BEFORE_ALL, skip: page.offset, take: page.limit, countAll: true };
        const read = await readWindows<Row>({ end: p.childWindowEnd, count: p.childWindowCount, rows: p.childWindowRows }, args, windowSize(tags?.length ?? 0), want, pause);
        return { total: read.total, items: read.rows.map(toRecord) };
      }
      const total = (countChildrenMatching.get(args) as { n: number }).n;
      const rows = page.offset < total ? (children.all({ ...args, limit: page.limit, offset: page.offset }) as Row[]) : [];
      return { total, items: rows.map(toRecord) };
    },
    async countChildren(directoryId, parentId) {
      return (countChildrenMatching.get(childArgs(directoryId, parentId, null, null)) as { n: number }).n;
    },
    async childrenByName(directoryId, parentIds, afterName, perParent) {
      const rows = p.childrenByName.all({ d: directoryId, parents: listParam(parentIds), after: afterName, limit: perParent }) as NamedChildRow[];
      return rows.map(toNamedChild);
    },
    async count(directoryId) {
      return (p.count.get(directoryId) as { n: number }).n;
    },
    async all(directoryId) {
      return (all.all(directoryId) as Row[]).map(toRecord);
    },
    async rename(directoryId, id, name) {
      rename.run(name, directoryId, id);
    },
    async existing(directoryId, ids) {
      return (existing.all(directoryId, JSON.stringify(ids)) as Array<{ id: string }>).map((r) => r.id);
    },
    async delete(directoryId, id) {
      del.run(directoryId, id);
    },
  };
}
