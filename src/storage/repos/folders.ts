import type { Executor } from '../executor.js';
import { carriesEveryTag as pgCarriesEveryTag } from '../postgres/tag-filter.js';
import { filterJson } from '../rows/directory-state.js';
import { toFolder, toNamedChild, type FolderRow, type NamedChildRow } from '../rows/folders.js';
import { carriesEveryTag as sqliteCarriesEveryTag, tagSlots } from '../sqlite/tag-filter.js';
import { BEFORE_ALL, readWindows, windowSize, windowStatements } from '../sqlite/windows.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { FolderRepo } from '../store.js';

type InDirectory = { directoryId: string };
type Children = InDirectory & { parentId: string };
type Matching = Children & { keyword: string | null; tags: string | null };

const CHILD_OF = 'directory_id = :directoryId AND parent_id = :parentId';
/** SQLite's filter (:keyword, null for none, and the tag slots, see tagSlots); SQLite has no strpos. */
const SQLITE_MATCH = `(:keyword IS NULL OR instr(lower(name), lower(:keyword)) > 0) AND ${sqliteCarriesEveryTag('Folder', 'folders.id')}`;
/** PostgreSQL's filter (:keyword, null for none, and :tags, a JSON list); PostgreSQL has no instr. */
const PG_MATCH = `(:keyword::text IS NULL OR strpos(lower(name), lower(:keyword)) > 0) AND ${pgCarriesEveryTag('Folder', 'folders.id')}`;
/** SQLite: a filtered list of a folder's children, window by window in creation order (see readWindows). */
const WINDOWS = windowStatements<FolderRow>('folders', 'folders_created', 'create_time', CHILD_OF, SQLITE_MATCH);

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  count: statement<Count, InDirectory>('SELECT count(*) AS n FROM folders WHERE directory_id = :directoryId AND parent_id IS NOT NULL'),
  insert: statement<NoRow, InDirectory & { id: string; parentId: string | null; name: string; depth: number; createTime: number }>(
    `INSERT INTO folders (id, directory_id, parent_id, name, depth, create_time)
     VALUES (:id, :directoryId, :parentId, :name, :depth, :createTime)`,
  ),
  byId: statement<FolderRow, InDirectory & { id: string }>('SELECT * FROM folders WHERE directory_id = :directoryId AND id = :id'),
  byIds: statement<FolderRow, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT * FROM folders WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}`,
  ),
  byParentName: statement<FolderRow, Children & { name: string }>(`SELECT * FROM folders WHERE ${CHILD_OF} AND name = :name`),
  // Unfiltered, in creation order; the dialect's order column tells apart folders made in one millisecond.
  children: statement<FolderRow, Children & { limit: number; offset: number }>(
    (d) => `SELECT * FROM folders WHERE ${CHILD_OF} ORDER BY create_time, ${d.order} LIMIT :limit OFFSET :offset`,
  ),
  countChildren: statement<Count, Children>(`SELECT count(*) AS n FROM folders WHERE ${CHILD_OF}`),
  // Filtered, PostgreSQL reads the page in one statement (each costs a round trip); SQLite
  // reads it window by window (the child windows below), giving its one connection back between two.
  childrenMatching: statement<FolderRow, Matching & { limit: number; offset: number }>({
    postgres: `SELECT * FROM folders WHERE ${CHILD_OF} AND ${PG_MATCH} ORDER BY create_time, seq LIMIT :limit OFFSET :offset`,
  }),
  countChildrenMatching: statement<Count, Matching>({ postgres: `SELECT count(*) AS n FROM folders WHERE ${CHILD_OF} AND ${PG_MATCH}` }),
  childWindowEnd: WINDOWS.end,
  childWindowCount: WINDOWS.count,
  childWindowRows: WINDOWS.rows,
  delete: statement<NoRow, InDirectory & { id: string }>('DELETE FROM folders WHERE directory_id = :directoryId AND id = :id'),
  all: statement<FolderRow, InDirectory>('SELECT * FROM folders WHERE directory_id = :directoryId'),
  rename: statement<NoRow, InDirectory & { id: string; name: string }>('UPDATE folders SET name = :name WHERE directory_id = :directoryId AND id = :id'),
  existing: statement<{ id: string }, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT id FROM folders WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}`,
  ),
  // The parents' children in the unique (parent, name) index; the numbering reads every child
  // of these parents, which the folder quota bounds.
  childrenByName: statement<NamedChildRow, InDirectory & { parentIds: readonly string[]; afterName: string; perParent: number }>(
    (d) => `SELECT * FROM (SELECT folders.*, row_number() OVER (PARTITION BY parent_id ORDER BY name) AS n,
        count(*) OVER (PARTITION BY parent_id) AS siblings
      FROM folders WHERE directory_id = :directoryId AND ${d.in('parent_id', 'parentIds')} AND name > :afterName) AS c
     WHERE n <= :perParent ORDER BY parent_id, name`,
  ),
};
const s = statements;

/**
 * @param pause SQLite's windowed reads call it between two steps: it lets other work on the
 * connection run, and throws when the request's budget is spent (SqliteStore.pause).
 */
export function folderRepo(x: Executor, pause: () => Promise<void> = async () => {}): FolderRepo {
  return {
    async insert(f) {
      const { id, directoryId, parentId, name, depth, createTime } = f;
      await x.run(s.insert, { id, directoryId, parentId, name, depth, createTime });
    },
    async byId(directoryId, id) {
      const r = await x.one(s.byId, { directoryId, id });
      return r && toFolder(r);
    },
    async byIds(directoryId, ids) {
      return (await x.all(s.byIds, { directoryId, ids })).map(toFolder);
    },
    async byParentAndName(directoryId, parentId, name) {
      const r = await x.one(s.byParentName, { directoryId, parentId, name });
      return r && toFolder(r);
    },
    async children(directoryId, parentId, keyword, tags, page) {
      const { limit, offset } = page;
      if (keyword === null && tags === null) {
        // Past the last child there is no page to read.
        const total = (await x.one(s.countChildren, { directoryId, parentId }))!.n;
        const rows = offset < total ? await x.all(s.children, { directoryId, parentId, limit, offset }) : [];
        return { total, items: rows.map(toFolder) };
      }
      if (x.dialect === 'postgres') {
        const match = { directoryId, parentId, keyword, tags: tags && filterJson(tags) };
        const total = (await x.one(s.countChildrenMatching, match))!.n;
        const rows = offset < total ? await x.all(s.childrenMatching, { ...match, limit, offset }) : [];
        return { total, items: rows.map(toFolder) };
      }
      const want = { from: BEFORE_ALL, skip: offset, take: limit, countAll: true };
      const windows = { end: s.childWindowEnd, count: s.childWindowCount, rows: s.childWindowRows };
      const filter = { keyword, ...tagSlots(tags) };
      const read = await readWindows(x, windows, { directoryId, parentId }, filter, windowSize(tags?.length ?? 0), want, pause);
      return { total: read.total, items: read.rows.map(toFolder) };
    },
    async countChildren(directoryId, parentId) {
      return (await x.one(s.countChildren, { directoryId, parentId }))!.n;
    },
    async childrenByName(directoryId, parentIds, afterName, perParent) {
      return (await x.all(s.childrenByName, { directoryId, parentIds, afterName, perParent })).map(toNamedChild);
    },
    async count(directoryId) {
      return (await x.one(s.count, { directoryId }))!.n;
    },
    async all(directoryId) {
      return (await x.all(s.all, { directoryId })).map(toFolder);
    },
    async rename(directoryId, id, name) {
      await x.run(s.rename, { directoryId, id, name });
    },
    async existing(directoryId, ids) {
      return (await x.all(s.existing, { directoryId, ids })).map((r) => r.id);
    },
    async delete(directoryId, id) {
      await x.run(s.delete, { directoryId, id });
    },
  };
}
