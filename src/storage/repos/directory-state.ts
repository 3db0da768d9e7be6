import type { Executor } from '../executor.js';
import {
  filterJson,
  tagsJson,
  toAccountDeletion,
  toSettings,
  toTag,
  type AccountDeletionRow,
  type DirectorySettingsRow,
  type TagRow,
} from '../rows/directory-state.js';
import { mergeTagPages } from '../rows/tag-pages.js';
import { tagKeys, tagValues } from './tag-names.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { AccountDeletionRepo, AccountPayerRepo, DirectorySettingsRepo, TagRepo } from '../store.js';

type Ids = { directoryId: string; type: string; ids: readonly string[] };

/**
 * One filter condition's tags in resource order from :from (see mergeTagPages): key and value,
 * or the key alone (SQLite: one statement per condition). The index is named: the primary key
 * also walks resource order, and on a directory whose statistics are young SQLite may pick it
 * and read every tag of the type.
 */
const conditionPage = (value: boolean) =>
  `SELECT * FROM resource_tags INDEXED BY ${value ? 'resource_tags_pair' : 'resource_tags_key'}
     WHERE directory_id = :directoryId AND resource_type = :type AND tag_key = :key${value ? ' AND tag_value = :value' : ''}
     AND resource_id >= :from ORDER BY resource_id LIMIT :limit`;
type ConditionPage = { directoryId: string; type: string; key: string; from: string; limit: number };

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  settings: statement<DirectorySettingsRow, { directoryId: string }>('SELECT * FROM directory_settings WHERE directory_id = :directoryId'),
  putSettings: statement<
    NoRow,
    { directoryId: string; controlPolicyStatus: string; memberDeletionStatus: string; memberDisplayNameSyncStatus: string }
  >(
    `INSERT INTO directory_settings (directory_id, control_policy_status, member_deletion_status, member_display_name_sync_status)
     VALUES (:directoryId, :controlPolicyStatus, :memberDeletionStatus, :memberDisplayNameSyncStatus)
     ON CONFLICT (directory_id) DO UPDATE SET control_policy_status = excluded.control_policy_status,
       member_deletion_status = excluded.member_deletion_status,
       member_display_name_sync_status = excluded.member_display_name_sync_status`,
  ),
  deleteSettings: statement<NoRow, { directoryId: string }>('DELETE FROM directory_settings WHERE directory_id = :directoryId'),

  tagsFor: statement<TagRow, Ids>({
    sqlite: `SELECT * FROM resource_tags WHERE directory_id = :directoryId AND resource_type = :type
      AND resource_id IN (SELECT value FROM json_each(:ids)) ORDER BY resource_id, tag_key`,
    // A join with the list rather than `= ANY`: on the generic plan a prepared statement gets
    // after five runs, the ANY form scanned the directory's tags (1.6 s for a page of 1,000
    // accounts at 100,000 against 25 ms on a custom plan); the join looks each resource up in
    // the primary key on any plan.
    postgres: `SELECT t.* FROM unnest(:ids::text[]) AS r(id)
        JOIN resource_tags t ON t.directory_id = :directoryId AND t.resource_type = :type AND t.resource_id = r.id
      ORDER BY t.resource_id, t.tag_key`,
  }),
  // A whole set of tags as one JSON list (tagsJson); each dialect has its own reader of a JSON array.
  putTags: statement<NoRow, { tags: string }>({
    sqlite: `INSERT INTO resource_tags (directory_id, resource_type, resource_id, tag_key, tag_value)
      SELECT value->>'d', value->>'t', value->>'r', value->>'k', value->>'v' FROM json_each(:tags) WHERE true
      ON CONFLICT (directory_id, resource_type, resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
    postgres: `INSERT INTO resource_tags (directory_id, resource_type, resource_id, tag_key, tag_value)
      SELECT d, t, r, k, v FROM jsonb_to_recordset(:tags::jsonb) AS x(d text, t text, r text, k text, v text)
      ON CONFLICT (directory_id, resource_type, resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
  }),
  // The list test comes before `IS NULL`: it tells PostgreSQL the parameter's type.
  removeTags: statement<NoRow, Ids & { keys: readonly string[] | null }>(
    (d) => `DELETE FROM resource_tags WHERE directory_id = :directoryId AND resource_type = :type AND ${d.in('resource_id', 'ids')}
       AND (${d.in('tag_key', 'keys')} OR :keys IS NULL)`,
  ),
  overLimit: statement<{ resource_id: string }, Ids & { limit: number }>(
    (d) => `SELECT resource_id FROM resource_tags WHERE directory_id = :directoryId AND resource_type = :type AND ${d.in('resource_id', 'ids')}
     GROUP BY resource_id HAVING count(*) > :limit`,
  ),
  // Every tag of the type, or of at most 50 resources (TAG_RULES.maxResourcesPerCall) with or
  // without a filter. The filter is a JSON list (filterJson), read by each dialect's own JSON
  // functions; PostgreSQL wants its NULL tests typed and compares the cursor as a row value.
  tagPage: statement<
    TagRow,
    { directoryId: string; type: string; ids: readonly string[] | null; filter: string | null; afterId: string | null; afterKey: string | null; limit: number }
  >({
    sqlite: `SELECT * FROM resource_tags t WHERE directory_id = :directoryId AND resource_type = :type
       AND (:ids IS NULL OR resource_id IN (SELECT value FROM json_each(:ids)))
       AND (:filter IS NULL OR EXISTS (SELECT 1 FROM json_each(:filter) f WHERE f.value->>'k' = t.tag_key
         AND (f.value->>'v' IS NULL OR f.value->>'v' = t.tag_value)))
       AND (:afterId IS NULL OR resource_id > :afterId OR (resource_id = :afterId AND tag_key > :afterKey))
     ORDER BY resource_id, tag_key LIMIT :limit`,
    postgres: `SELECT * FROM resource_tags t WHERE directory_id = :directoryId AND resource_type = :type
       AND (:ids::text[] IS NULL OR resource_id = ANY(:ids::text[]))
       AND (:filter::jsonb IS NULL OR EXISTS (SELECT 1 FROM jsonb_to_recordset(:filter::jsonb) AS f(k text, v text)
         WHERE f.k = t.tag_key AND (f.v IS NULL OR f.v = t.tag_value)))
       AND (:afterId::text IS NULL OR (resource_id, tag_key) > (:afterId::text, :afterKey::text))
     ORDER BY resource_id, tag_key LIMIT :limit`,
  }),
  // ListTagResources with a filter and no IDs: SQLite seeks once per condition (in-process
  // calls are cheap); PostgreSQL does every seek in one statement, as each costs a round trip.
  tagPageOfPair: statement<TagRow, ConditionPage & { value: string }>({ sqlite: conditionPage(true) }),
  tagPageOfKey: statement<TagRow, ConditionPage>({ sqlite: conditionPage(false) }),
  // Each condition's branch is a seek by the key (and the value, where the statistics say the
  // pair index is the cheaper way to a rare value), :limit at most from :from.
  tagPageOfConditions: statement<TagRow, { directoryId: string; type: string; from: string; limit: number; filter: string }>({
    postgres: `SELECT x.* FROM jsonb_to_recordset(:filter::jsonb) AS f(k text, v text) CROSS JOIN LATERAL (
       (SELECT * FROM resource_tags t WHERE f.v IS NOT NULL AND t.directory_id = :directoryId AND t.resource_type = :type
          AND t.tag_key = f.k AND t.tag_value = f.v AND t.resource_id >= :from ORDER BY t.resource_id LIMIT :limit)
       UNION ALL
       (SELECT * FROM resource_tags t WHERE f.v IS NULL AND t.directory_id = :directoryId AND t.resource_type = :type
          AND t.tag_key = f.k AND t.resource_id >= :from ORDER BY t.resource_id LIMIT :limit)) x`,
  }),

  payer: statement<{ payer_account_id: string }, { accountId: string }>('SELECT payer_account_id FROM account_payers WHERE account_id = :accountId'),
  setPayer: statement<NoRow, { accountId: string; payerAccountId: string }>(
    `INSERT INTO account_payers (account_id, payer_account_id) VALUES (:accountId, :payerAccountId)
     ON CONFLICT (account_id) DO UPDATE SET payer_account_id = excluded.payer_account_id`,
  ),
  deletePayer: statement<NoRow, { accountId: string }>('DELETE FROM account_payers WHERE account_id = :accountId'),
  countPaidBy: statement<Count, { payerAccountId: string }>('SELECT count(*) AS n FROM account_payers WHERE payer_account_id = :payerAccountId'),
  payersFor: statement<{ account_id: string; payer_account_id: string }, { accountIds: readonly string[] }>(
    (d) => `SELECT account_id, payer_account_id FROM account_payers WHERE ${d.in('account_id', 'accountIds')}`,
  ),

  deletion: statement<AccountDeletionRow, { accountId: string }>('SELECT * FROM account_deletions WHERE account_id = :accountId'),
  putDeletion: statement<NoRow, { accountId: string; directoryId: string; checkedAt: number | null; deletedAt: number | null }>(
    `INSERT INTO account_deletions (account_id, directory_id, checked_at, deleted_at) VALUES (:accountId, :directoryId, :checkedAt, :deletedAt)
     ON CONFLICT (account_id) DO UPDATE SET directory_id = excluded.directory_id, checked_at = excluded.checked_at,
       deleted_at = excluded.deleted_at`,
  ),
};
const s = statements;

export function directorySettingsRepo(x: Executor): DirectorySettingsRepo {
  return {
    async get(directoryId) {
      const r = await x.one(s.settings, { directoryId });
      return r && toSettings(r);
    },
    async put(v) {
      const { directoryId, controlPolicyStatus, memberDeletionStatus, memberDisplayNameSyncStatus } = v;
      await x.run(s.putSettings, { directoryId, controlPolicyStatus, memberDeletionStatus, memberDisplayNameSyncStatus });
    },
    async delete(directoryId) {
      await x.run(s.deleteSettings, { directoryId });
    },
  };
}

export function tagRepo(x: Executor): TagRepo {
  /** A filter's tags from one short read per condition, merged (the filtered, ID-less page). */
  async function pageOfConditions(directoryId: string, type: string, filter: Array<{ key: string; value: string | null }>, from: string, limit: number) {
    if (x.dialect === 'postgres') return x.all(s.tagPageOfConditions, { directoryId, type, from, limit, filter: filterJson(filter) });
    const pages = [];
    for (const { key, value } of filter)
      pages.push(
        await (value === null
          ? x.all(s.tagPageOfKey, { directoryId, type, key, from, limit })
          : x.all(s.tagPageOfPair, { directoryId, type, key, value, from, limit })),
      );
    return pages.flat();
  }
  return {
    async forResources(directoryId, type, ids) {
      return (await x.all(s.tagsFor, { directoryId, type, ids })).map(toTag);
    },
    async put(tags) {
      if (tags.length > 0) await x.run(s.putTags, { tags: tagsJson(tags) });
    },
    async remove(directoryId, type, ids, keys) {
      await x.run(s.removeTags, { directoryId, type, ids, keys });
    },
    async overLimit(directoryId, type, ids, limit) {
      return (await x.all(s.overLimit, { directoryId, type, ids, limit })).map((r) => r.resource_id);
    },
    async page(directoryId, type, ids, filter, after, limit) {
      if (filter && !ids) {
        const rows = await pageOfConditions(directoryId, type, filter, after?.resourceId ?? '', limit + 1);
        return mergeTagPages(rows.map(toTag), after, limit);
      }
      const params = {
        directoryId,
        type,
        ids,
        filter: filter && filterJson(filter),
        afterId: after?.resourceId ?? null,
        afterKey: after?.key ?? null,
        limit,
      };
      return (await x.all(s.tagPage, params)).map(toTag);
    },
    keys: (directoryId, type, prefix, after, limit) => tagKeys(x, directoryId, type, prefix, after, limit),
    values: (directoryId, type, key, prefix, after, limit) => tagValues(x, directoryId, type, key, prefix, after, limit),
  };
}

export function accountPayerRepo(x: Executor): AccountPayerRepo {
  return {
    async get(accountId) {
      return (await x.one(s.payer, { accountId }))?.payer_account_id ?? null;
    },
    async set(accountId, payerAccountId) {
      if (payerAccountId === null) await x.run(s.deletePayer, { accountId });
      else await x.run(s.setPayer, { accountId, payerAccountId });
    },
    async countPaidBy(payerAccountId) {
      return (await x.one(s.countPaidBy, { payerAccountId }))!.n;
    },
    async forAccounts(accountIds) {
      return new Map((await x.all(s.payersFor, { accountIds })).map((r) => [r.account_id, r.payer_account_id]));
    },
  };
}

export function accountDeletionRepo(x: Executor): AccountDeletionRepo {
  return {
    async byAccount(accountId) {
      const r = await x.one(s.deletion, { accountId });
      return r && toAccountDeletion(r);
    },
    async put(v) {
      const { accountId, directoryId, checkedAt, deletedAt } = v;
      await x.run(s.putDeletion, { accountId, directoryId, checkedAt, deletedAt });
    },
  };
}
