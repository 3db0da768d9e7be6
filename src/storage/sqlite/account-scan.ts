import type { Executor } from '../executor.js';
import type { TagFilter } from '../records.js';
import { toPlacedAccount, type AccountRow } from '../rows/accounts.js';
import { statement, type Count, type Params } from '../statement.js';
import type { AccountFilter, PlacedAccount } from '../store.js';
import { carriesEveryTag, tagSlots } from './tag-filter.js';
import { readWindows, windowSize, windowStatements, type Want } from './windows.js';

/**
 * SQLite's way to a filtered account list (a keyword, tags): in bounded steps on its one
 * connection, with a pause between two, so a filter over 100,000 accounts never holds every
 * other request. PostgreSQL runs the same filter as one statement on a connection of its own
 * (src/storage/repos/accounts.ts).
 *
 * Named parameters: :directoryId, :folderId (one folder's scope), :keyword (null: none), the
 * tag slots (see tagSlots). SQLite has no strpos: a substring is found by instr.
 */
const MATCH = `(:keyword IS NULL OR instr(lower(display_name), lower(:keyword)) > 0 OR instr(accounts.id, :keyword) > 0
    OR instr(lower(account_name), lower(:keyword)) > 0)
  AND ${carriesEveryTag('Account', 'accounts.id')}`;

/**
 * Who a list reads: the whole directory, or the direct members of one folder. Each has
 * statements of its own: SQLite plans a statement once, so a shared `:folderId IS NULL OR`
 * would walk the whole directory's join order to find one folder's members.
 */
const SCOPE = { whole: 'directory_id = :directoryId', folder: 'directory_id = :directoryId AND folder_id = :folderId' };
/** The windows of a filtered list of each scope (see readWindows), in join order. */
const windowsOf = (scope: string, index: string) => windowStatements<AccountRow>('accounts', index, 'join_time', scope, MATCH);
const WHOLE_WINDOWS = windowsOf(SCOPE.whole, 'accounts_joined');
const FOLDER_WINDOWS = windowsOf(SCOPE.folder, 'accounts_folder_joined');

/**
 * The accounts carrying tag (:key, :value), or key :key with any value: read from the tag
 * indexes first, each account then found by its primary key and checked against the whole
 * filter. Used when that tag is rare (see `scan`), so the rows are few and sorted in memory.
 */
const TAG_IS = (value: boolean) =>
  `t.directory_id = :directoryId AND t.resource_type = 'Account' AND t.tag_key = :key${value ? ' AND t.tag_value = :value' : ''}`;
const driven = (value: boolean) =>
  statement<AccountRow & { seq: number }, Params>({
    sqlite: `SELECT accounts.*, accounts.rowid AS seq FROM resource_tags t CROSS JOIN accounts ON accounts.id = t.resource_id
      WHERE ${TAG_IS(value)} AND accounts.directory_id = :directoryId AND (:folderId IS NULL OR accounts.folder_id = :folderId) AND ${MATCH}`,
  });
/** How many accounts carry a tag, counted no further than :bound. */
const tagged = (value: boolean) =>
  statement<Count, Params>({ sqlite: `SELECT count(*) AS n FROM (SELECT 1 FROM resource_tags t WHERE ${TAG_IS(value)} LIMIT :bound)` });

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  windowEnd: WHOLE_WINDOWS.end,
  windowEndInFolder: FOLDER_WINDOWS.end,
  windowCount: WHOLE_WINDOWS.count,
  windowCountInFolder: FOLDER_WINDOWS.count,
  windowRows: WHOLE_WINDOWS.rows,
  windowRowsInFolder: FOLDER_WINDOWS.rows,
  drivenByPair: driven(true),
  drivenByKey: driven(false),
  taggedWithPair: tagged(true),
  taggedWithKey: tagged(false),
};
const s = statements;

/** A filter's scope (the window's ends take only that) and its conditions. */
const scopeOf = (directoryId: string, f: AccountFilter): Params => (f.folderId === null ? { directoryId } : { directoryId, folderId: f.folderId });
const conditionsOf = (f: AccountFilter): Params => ({ keyword: f.keyword, ...tagSlots(f.tags) });

/**
 * A filtered list's matches in join order, in bounded steps with `pause` between two. A rare
 * tag (fewer accounts carry it than a window holds) drives the list: its accounts are read at
 * once and sorted. Otherwise the scope is read window by window (readWindows).
 */
export function accountScan(x: Executor, pause: () => Promise<void>) {
  /** The tag carried by the fewest accounts, if fewer than `bound` carry it. */
  async function rarest(directoryId: string, tags: TagFilter[], bound: number): Promise<TagFilter | null> {
    let best: { tag: TagFilter; n: number } | null = null;
    for (const tag of tags) {
      const { key, value } = tag;
      const n = (await x.one(value === null ? s.taggedWithKey : s.taggedWithPair, value === null ? { directoryId, key, bound } : { directoryId, key, value, bound }))!.n;
      if (n < bound && (!best || n < best.n)) best = { tag, n };
    }
    return best?.tag ?? null;
  }

  return async function scan(directoryId: string, f: AccountFilter, want: Want): Promise<{ total: number; rows: PlacedAccount[] }> {
    const size = windowSize(f.tags?.length ?? 0);
    const scope = scopeOf(directoryId, f);
    const conditions = conditionsOf(f);
    const rare = f.tags && (await rarest(directoryId, f.tags, size));
    if (rare) {
      const match = { directoryId, folderId: f.folderId, ...conditions, key: rare.key };
      const rows = (rare.value === null ? await x.all(s.drivenByKey, match) : await x.all(s.drivenByPair, { ...match, value: rare.value }))
        .map(toPlacedAccount)
        .filter(({ place }) => place.joinTime > want.from.time || (place.joinTime === want.from.time && place.seq > want.from.seq))
        .sort((a, b) => a.place.joinTime - b.place.joinTime || a.place.seq - b.place.seq);
      return { total: rows.length, rows: rows.slice(want.skip, want.skip + want.take) };
    }
    const [end, count, rows] =
      f.folderId === null ? [s.windowEnd, s.windowCount, s.windowRows] : [s.windowEndInFolder, s.windowCountInFolder, s.windowRowsInFolder];
    const read = await readWindows(x, { end, count, rows }, scope, conditions, size, want, pause);
    return { total: read.total, rows: read.rows.map(toPlacedAccount) };
  };
}
