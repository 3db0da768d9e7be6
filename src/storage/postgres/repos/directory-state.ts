import {
  filterJson,
  tagsJson,
  toAccountDeletion,
  toSettings,
  toTag,
  type AccountDeletionRow,
  type DirectorySettingsRow,
  type TagRow,
} from '../../rows/directory-state.js';
import { mergeTagPages } from '../../rows/tag-pages.js';
import type { AccountDeletionRepo, AccountPayerRepo, DirectorySettingsRepo, TagRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  settings: sql<DirectorySettingsRow>('SELECT * FROM directory_settings WHERE directory_id = $1'),
  putSettings: sql(
    `INSERT INTO directory_settings (directory_id, control_policy_status, member_deletion_status, member_display_name_sync_status)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (directory_id) DO UPDATE SET control_policy_status = excluded.control_policy_status,
       member_deletion_status = excluded.member_deletion_status,
       member_display_name_sync_status = excluded.member_display_name_sync_status`,
  ),
  deleteSettings: sql('DELETE FROM directory_settings WHERE directory_id = $1'),
  // A join with the list rather than `resource_id = ANY($3)`: on the generic plan a prepared
  // statement gets after five runs, the ANY form scanned the directory's tags (1.6 s for a
  // page of 1,000 accounts at 100,000 against 25 ms on a custom plan); the join looks each
  // resource up in the primary key on any plan.
  tagsFor: sql<TagRow>(
    `SELECT t.* FROM unnest($3::text[]) AS r(id)
       JOIN resource_tags t ON t.directory_id = $1 AND t.resource_type = $2 AND t.resource_id = r.id
     ORDER BY t.resource_id, t.tag_key`,
  ),
  putTags: sql(
    `INSERT INTO resource_tags (directory_id, resource_type, resource_id, tag_key, tag_value)
     SELECT d, t, r, k, v FROM jsonb_to_recordset($1::jsonb) AS x(d text, t text, r text, k text, v text)
     ON CONFLICT (directory_id, resource_type, resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
  ),
  removeTags: sql(
    `DELETE FROM resource_tags WHERE directory_id = $1 AND resource_type = $2 AND resource_id = ANY($3::text[])
       AND ($4::text[] IS NULL OR tag_key = ANY($4::text[]))`,
  ),
  overLimit: sql<{ resource_id: string }>(
    `SELECT resource_id FROM resource_tags WHERE directory_id = $1 AND resource_type = $2 AND resource_id = ANY($3::text[])
     GROUP BY resource_id HAVING count(*) > $4`,
  ),
  // Each filter condition's tags in resource order from $3, $4 at most (see mergeTagPages):
  // by key and value, or by the key alone, each branch a seek by the key (and the value,
  // where the statistics say the pair index is the cheaper way to a rare value).
  tagPageByConditions: sql<TagRow>(
    `SELECT x.* FROM jsonb_to_recordset($5::jsonb) AS f(k text, v text) CROSS JOIN LATERAL (
       (SELECT * FROM resource_tags t WHERE f.v IS NOT NULL AND t.directory_id = $1 AND t.resource_type = $2
          AND t.tag_key = f.k AND t.tag_value = f.v AND t.resource_id >= $3 ORDER BY t.resource_id LIMIT $4)
       UNION ALL
       (SELECT * FROM resource_tags t WHERE f.v IS NULL AND t.directory_id = $1 AND t.resource_type = $2
          AND t.tag_key = f.k AND t.resource_id >= $3 ORDER BY t.resource_id LIMIT $4)) x`,
  ),
  // Every tag of the type, or of at most 50 resources (TAG_RULES.maxResourcesPerCall) with or without a filter.
  tagPage: sql<TagRow>(
    `SELECT * FROM resource_tags t WHERE directory_id = $1 AND resource_type = $2
       AND ($3::text[] IS NULL OR resource_id = ANY($3::text[]))
       AND ($4::jsonb IS NULL OR EXISTS (SELECT 1 FROM jsonb_to_recordset($4::jsonb) AS f(k text, v text)
         WHERE f.k = t.tag_key AND (f.v IS NULL OR f.v = t.tag_value)))
       AND ($5::text IS NULL OR (resource_id, tag_key) > ($5::text, $6::text))
     ORDER BY resource_id, tag_key LIMIT $7`,
  ),
  payer: sql<{ payer_account_id: string }>('SELECT payer_account_id FROM account_payers WHERE account_id = $1'),
  setPayer: sql(
    `INSERT INTO account_payers (account_id, payer_account_id) VALUES ($1, $2)
     ON CONFLICT (account_id) DO UPDATE SET payer_account_id = excluded.payer_account_id`,
  ),
  deletePayer: sql('DELETE FROM account_payers WHERE account_id = $1'),
  countPaidBy: sql<Count>('SELECT count(*) AS n FROM account_payers WHERE payer_account_id = $1'),
  payersFor: sql<{ account_id: string; payer_account_id: string }>(
    'SELECT account_id, payer_account_id FROM account_payers WHERE account_id = ANY($1::text[])',
  ),
  deletion: sql<AccountDeletionRow>('SELECT * FROM account_deletions WHERE account_id = $1'),
  putDeletion: sql(
    `INSERT INTO account_deletions (account_id, directory_id, checked_at, deleted_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id) DO UPDATE SET directory_id = excluded.directory_id, checked_at = excluded.checked_at,
       deleted_at = excluded.deleted_at`,
  ),
};
const s = statements;

export function directorySettingsRepo(q: Queryable): DirectorySettingsRepo {
  return {
    async get(directoryId) {
      const r = await s.settings.one(q, [directoryId]);
      return r && toSettings(r);
    },
    async put(x) {
      await s.putSettings.run(q, [x.directoryId, x.controlPolicyStatus, x.memberDeletionStatus, x.memberDisplayNameSyncStatus]);
    },
    async delete(directoryId) {
      await s.deleteSettings.run(q, [directoryId]);
    },
  };
}

export function tagRepo(q: Queryable): TagRepo {
  return {
    async forResources(directoryId, type, ids) {
      return (await s.tagsFor.all(q, [directoryId, type, ids])).map(toTag);
    },
    async put(tags) {
      if (tags.length > 0) await s.putTags.run(q, [tagsJson(tags)]);
    },
    async remove(directoryId, type, ids, keys) {
      await s.removeTags.run(q, [directoryId, type, ids, keys]);
    },
    async overLimit(directoryId, type, ids, limit) {
      return (await s.overLimit.all(q, [directoryId, type, ids, limit])).map((r) => r.resource_id);
    },
    async page(directoryId, type, ids, filter, after, limit) {
      if (filter && !ids) {
        const rows = await s.tagPageByConditions.all(q, [directoryId, type, after?.resourceId ?? '', limit + 1, filterJson(filter)]);
        return mergeTagPages(rows.map(toTag), after, limit);
      }
      const args = [directoryId, type, ids, filter && filterJson(filter), after?.resourceId ?? null, after?.key ?? null, limit];
      return (await s.tagPage.all(q, args)).map(toTag);
    },
  };
}

export function accountPayerRepo(q: Queryable): AccountPayerRepo {
  return {
    async get(accountId) {
      return (await s.payer.one(q, [accountId]))?.payer_account_id ?? null;
    },
    async set(accountId, payerAccountId) {
      if (payerAccountId === null) await s.deletePayer.run(q, [accountId]);
      else await s.setPayer.run(q, [accountId, payerAccountId]);
    },
    async countPaidBy(payerAccountId) {
      return (await s.countPaidBy.one(q, [payerAccountId]))!.n;
    },
    async forAccounts(accountIds) {
      return new Map((await s.payersFor.all(q, [accountIds])).map((r) => [r.account_id, r.payer_account_id]));
    },
  };
}

export function accountDeletionRepo(q: Queryable): AccountDeletionRepo {
  return {
    async byAccount(accountId) {
      const r = await s.deletion.one(q, [accountId]);
      return r && toAccountDeletion(r);
    },
    async put(x) {
      await s.putDeletion.run(q, [x.accountId, x.directoryId, x.checkedAt, x.deletedAt]);
    },
  };
}
