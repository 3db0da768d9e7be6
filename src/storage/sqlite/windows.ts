import type { Executor } from '../executor.js';
import { statement, type Count, type Params, type Statement } from '../statement.js';

/** A place in a list's order: its time column, then the rowid. */
export interface Place {
  time: number;
  seq: number;
}

export const BEFORE_ALL: Place = { time: Number.MIN_SAFE_INTEGER, seq: Number.MIN_SAFE_INTEGER };
const AFTER_ALL: Place = { time: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };

/**
 * A list's three window statements (SQLite only). Each takes the list's own parameters plus
 * :fromTime, :fromSeq (the window starts after that place); `end` takes :size and answers the
 * place (`time`, `seq`) of the window's last row, none past the end; `count` and `rows` take
 * :toTime, :toSeq (the window's last place) and count or read the matches between, `rows` in
 * order with :skip and :limit.
 */
export interface WindowStatements<R extends object> {
  end: Statement<Place, Params>;
  count: Statement<Count, Params>;
  rows: Statement<R & { seq: number }, Params>;
}

/** What a windowed read collects: `skip` matches passed over, then up to `take`; every match counted when asked. */
export interface Want {
  from: Place;
  skip: number;
  take: number;
  countAll: boolean;
}

/**
 * Reads a filtered list window by window: `size` rows of the list's order at a time (both
 * ends seeks in its index), each window counted and, where the page falls, read, with
 * `pause()` between two windows so other work can use the connection (and the request's
 * budget is checked). The work of one step is bounded by `size` whatever the list's length.
 * Between steps other requests may write, so a count and a page may see different moments.
 * `scope` is the parameters of the list's scope (all a window's end takes), `filter` those of its conditions.
 */
export async function readWindows<R extends object>(
  x: Executor,
  s: WindowStatements<R>,
  scope: Params,
  filter: Params,
  size: number,
  want: Want,
  pause: () => Promise<void>,
) {
  const rows: Array<R & { seq: number }> = [];
  let { skip } = want;
  let total = 0;
  let from = want.from;
  for (;;) {
    const last = (await x.one(s.end, { ...scope, fromTime: from.time, fromSeq: from.seq, size })) ?? AFTER_ALL;
    const window = { ...scope, ...filter, fromTime: from.time, fromSeq: from.seq, toTime: last.time, toSeq: last.seq };
    const wanted = want.take - rows.length;
    if (!want.countAll) {
      rows.push(...(await x.all(s.rows, { ...window, skip: 0, limit: wanted })));
      if (rows.length >= want.take) break;
    } else {
      const n = (await x.one(s.count, window))!.n;
      if (skip >= n) skip -= n;
      else if (wanted > 0) {
        rows.push(...(await x.all(s.rows, { ...window, skip, limit: wanted })));
        skip = 0;
      }
      total += n;
    }
    if (last === AFTER_ALL) break;
    from = last;
    await pause();
  }
  return { total, rows };
}

/**
 * The window statements of a list: `from` the table and `where` its scope and filter, in
 * the order of (`time`, rowid) through index `index` (named: the bounds look alike to SQLite
 * for every index that ends with the time column, and the wrong one passes over other
 * scopes' rows). `scope` is the part of `where` that chooses the rows without the filter.
 */
export function windowStatements<R extends object>(table: string, index: string, time: string, scope: string, filter: string): WindowStatements<R> {
  const from = `FROM ${table} INDEXED BY ${index} WHERE ${scope} AND (${time}, rowid) > (:fromTime, :fromSeq)`;
  const window = `${from} AND (${time}, rowid) <= (:toTime, :toSeq) AND ${filter}`;
  return {
    end: statement<Place, Params>({ sqlite: `SELECT ${time} AS time, rowid AS seq ${from} ORDER BY ${time}, rowid LIMIT 1 OFFSET :size - 1` }),
    count: statement<Count, Params>({ sqlite: `SELECT count(*) AS n ${window}` }),
    rows: statement<R & { seq: number }, Params>({ sqlite: `SELECT *, rowid AS seq ${window} ORDER BY ${time}, rowid LIMIT :limit OFFSET :skip` }),
  };
}

/**
 * The work one step of a filtered list may do, in row-and-condition checks: a window holds
 * WORK / (1 + conditions) rows. About 2 ms on a quiet 2-core machine (docs/operations.md).
 */
const WORK = 1_500;

/** Rows per window for a filter of `conditions` tag conditions. */
export const windowSize = (conditions: number) => Math.max(50, Math.floor(WORK / (1 + conditions)));
