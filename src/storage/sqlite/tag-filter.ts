import { TAG_RULES } from '../../domain/tag-rules.js';
import type { TagFilter, TagResourceType } from '../records.js';

/** One slot per condition a filter may hold (the service refuses more). */
const SLOTS = Array.from({ length: TAG_RULES.maxTagsPerCall }, (_, i) => i);

/**
 * The resource `outer` (a qualified ID column) carries every tag condition, in directory
 * `:directoryId`: condition N is key `:kN` with value `:vN` (null: any value), an unused slot's key is
 * null. Each condition is one primary-key seek (directory, type, resource, key) per resource,
 * so the cost of a row is bounded whatever the tags of the other resources and a list can be
 * read window by window (src/storage/sqlite/account-scan.ts). Fixed slots, not a JSON list read with
 * json_each: that parsed the list again for every row, at about 30 µs a row and condition.
 */
export const carriesEveryTag = (type: TagResourceType, outer: string) =>
  SLOTS.map(
    (i) => `(:k${i} IS NULL OR EXISTS (SELECT 1 FROM resource_tags u WHERE u.directory_id = :directoryId AND u.resource_type = '${type}'
      AND u.resource_id = ${outer} AND u.tag_key = :k${i} AND (:v${i} IS NULL OR u.tag_value = :v${i})))`,
  ).join('\n  AND ');

/** The slots' parameters for `tags` (null: no condition). */
export const tagSlots = (tags: TagFilter[] | null): Record<string, string | null> =>
  Object.fromEntries(SLOTS.flatMap((i) => [[`k${i}`, tags?.[i]?.key ?? null], [`v${i}`, tags?.[i]?.value ?? null]]));
