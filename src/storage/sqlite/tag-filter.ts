import type { TagResourceType } from '../records.js';

/**
 * `id` carries every tag condition of `@tags` (a JSON list of `{k, v}`, `v` null for any
 * value; null for no condition), in directory `@d`. Relational division without grouping: the
 * first condition walks the tag-value index (a resource has one value per key, so each
 * appears once), and every condition is then checked by a primary-key probe of that resource.
 */
export const carriesEveryTag = (type: TagResourceType) => `(@tags IS NULL OR id IN (
  SELECT t.resource_id FROM resource_tags t
  WHERE t.directory_id = @d AND t.resource_type = '${type}' AND t.tag_key = json_extract(@tags, '$[0].k')
    AND (json_extract(@tags, '$[0].v') IS NULL OR t.tag_value = json_extract(@tags, '$[0].v'))
    AND NOT EXISTS (SELECT 1 FROM json_each(@tags) f WHERE NOT EXISTS (
      SELECT 1 FROM resource_tags u WHERE u.directory_id = @d AND u.resource_type = '${type}' AND u.resource_id = t.resource_id
        AND u.tag_key = json_extract(f.value, '$.k') AND (json_extract(f.value, '$.v') IS NULL OR u.tag_value = json_extract(f.value, '$.v'))))))`;
