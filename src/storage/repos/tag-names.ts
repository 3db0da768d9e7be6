import type { Executor } from '../executor.js';
import { statement } from '../statement.js';

/**
 * The distinct tag keys of a resource type, or the distinct values of one key, a page at a
 * time (ListTagKeys, ListTagValues). A directory may hold millions of tag rows over few
 * names, so neither DISTINCT nor GROUP BY will do: each step of the recursion is one seek for
 * the next name after the previous one (MIN over the index resource_tags_key, or
 * resource_tags_pair for values), and the recursion stops after the page, so a page costs its
 * length in seeks however many rows carry each name. `:from` is where the page starts, the
 * last name of the previous page included (a value may be "", so nothing sorts before every
 * name): `:skipFirst` drops it again if it is still there. A prefix filter seeks to its start
 * and stops at its end. At most `limit` names come back.
 */
const namePage = (column: 'tag_key' | 'tag_value') => {
  const same = `directory_id = :directoryId AND resource_type = :type${column === 'tag_value' ? ' AND tag_key = :key' : ''}`;
  return `WITH RECURSIVE names(name, n) AS (
      SELECT (SELECT min(${column}) FROM resource_tags WHERE ${same} AND ${column} >= :from AND ${column} >= :prefix), 1
      UNION ALL
      SELECT (SELECT min(${column}) FROM resource_tags WHERE ${same} AND ${column} > names.name), n + 1 FROM names
       WHERE names.name IS NOT NULL AND n < CAST(:limit AS INTEGER) + CAST(:skipFirst AS INTEGER) AND substr(names.name, 1, :prefixLength) = :prefix)
    SELECT name FROM names WHERE name IS NOT NULL AND substr(name, 1, :prefixLength) = :prefix
      AND NOT (n = 1 AND :skipFirst = 1 AND name = :from)`;
};

type Page = { directoryId: string; type: string; from: string; skipFirst: number; prefix: string; prefixLength: number; limit: number };

export const statements = {
  keys: statement<{ name: string }, Page>(namePage('tag_key')),
  values: statement<{ name: string }, Page & { key: string }>(namePage('tag_value')),
};

/** The page's parameters: after `after` (null: from the first name), names starting with `prefix`. */
const page = (directoryId: string, type: string, prefix: string, after: string | null, limit: number): Page => ({
  directoryId,
  type,
  from: after ?? '',
  skipFirst: after === null ? 0 : 1,
  prefix,
  // Characters, as substr counts them on both stores.
  prefixLength: [...prefix].length,
  limit,
});

export async function tagKeys(x: Executor, directoryId: string, type: string, prefix: string, after: string | null, limit: number): Promise<string[]> {
  return (await x.all(statements.keys, page(directoryId, type, prefix, after, limit))).slice(0, limit).map((r) => r.name);
}

export async function tagValues(x: Executor, directoryId: string, type: string, key: string, prefix: string, after: string | null, limit: number): Promise<string[]> {
  return (await x.all(statements.values, { ...page(directoryId, type, prefix, after, limit), key })).slice(0, limit).map((r) => r.name);
}
