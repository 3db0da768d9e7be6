import type { TagResourceType } from '../records.js';

/**
 * `id` carries every tag condition of `$4` (a JSON list of `{k, v}`, `v` null for any value;
 * null for no condition), in directory `$1`. Relational division without grouping: the first
 * condition walks the tag-value index (a resource has one value per key, so each appears
 * once), and every condition is then checked by a primary-key probe of that resource.
 */
export const carriesEveryTag = (type: TagResourceType) => `($4::jsonb IS NULL OR id IN (
  SELECT t.resource_id FROM resource_tags t
  WHERE t.directory_id = $1 AND t.resource_type = '${type}' AND t.tag_key = $4::jsonb->0->>'k'
    AND ($4::jsonb->0->>'v' IS NULL OR t.tag_value = $4::jsonb->0->>'v')
    AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS f(k text, v text) WHERE NOT EXISTS (
      SELECT 1 FROM resource_tags u WHERE u.directory_id = $1 AND u.resource_type = '${type}' AND u.resource_id = t.resource_id
        AND u.tag_key = f.k AND (f.v IS NULL OR u.tag_value = f.v)))))`;
