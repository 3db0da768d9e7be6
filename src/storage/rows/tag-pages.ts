import type { TagRecord } from '../records.js';

/** Byte order of the UTF-8 text, as both stores sort tag text (SQLite's BINARY, PostgreSQL's "C"). */
const byBytes = (a: string, b: string) => (a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b)));

/**
 * ListTagResources' page with a filter and no resource IDs, from one short read per filter
 * condition: each condition's tags in resource order from the page's start (the tag indexes
 * serve each as a seek), `limit` + 1 at most, so the whole page costs at most that many rows
 * per condition however many tags the directory holds. Here they are merged: those after the
 * cursor, once each (a key may appear in two conditions), by resource ID then key.
 */
export function mergeTagPages(rows: TagRecord[], after: { resourceId: string; key: string } | null, limit: number): TagRecord[] {
  const seen = new Set<string>();
  return rows
    .filter((t) => !after || t.resourceId !== after.resourceId || byBytes(t.key, after.key) > 0)
    .filter((t) => {
      const id = JSON.stringify([t.resourceId, t.key]);
      return !seen.has(id) && Boolean(seen.add(id));
    })
    .sort((a, b) => byBytes(a.resourceId, b.resourceId) || byBytes(a.key, b.key))
    .slice(0, limit);
}
