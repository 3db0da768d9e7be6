import type { Db } from '../db.js';
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

// Lists travel as one JSON parameter read with json_each, so every statement here is fixed text.
const IDS = 'SELECT value FROM json_each(?)';

export function directorySettingsRepo(db: Db): DirectorySettingsRepo {
  const get = db.prepare('SELECT * FROM directory_settings WHERE directory_id = ?');
  const put = db.prepare(
    `INSERT INTO directory_settings (directory_id, control_policy_status, member_deletion_status, member_display_name_sync_status)
     VALUES (@directoryId, @controlPolicyStatus, @memberDeletionStatus, @memberDisplayNameSyncStatus)
     ON CONFLICT (directory_id) DO UPDATE SET control_policy_status = excluded.control_policy_status,
       member_deletion_status = excluded.member_deletion_status,
       member_display_name_sync_status = excluded.member_display_name_sync_status`,
  );
  const del = db.prepare('DELETE FROM directory_settings WHERE directory_id = ?');
  return {
    async get(directoryId) {
      const r = get.get(directoryId) as DirectorySettingsRow | undefined;
      return r ? toSettings(r) : null;
    },
    async put(settings) {
      put.run(settings);
    },
    async delete(directoryId) {
      del.run(directoryId);
    },
  };
}

/**
 * One filter condition's tags in resource order from @from (see mergeTagPages): key and value,
 * or the key alone. The index is named: the primary key also walks resource order, and on a
 * directory whose statistics are young SQLite may pick it and read every tag of the type.
 */
const conditionPage = (value: boolean) =>
  `SELECT * FROM resource_tags INDEXED BY ${value ? 'resource_tags_pair' : 'resource_tags_key'}
     WHERE directory_id = @d AND resource_type = @t AND tag_key = @key${value ? ' AND tag_value = @value' : ''}
     AND resource_id >= @from ORDER BY resource_id LIMIT @limit`;

/** ListTagResources' statements, exported for the storage contract suite's plan checks. */
export const tagStatements = {
  pageOfPair: conditionPage(true),
  pageOfKey: conditionPage(false),
  // Every tag of the type, or of at most 50 resources (TAG_RULES.maxResourcesPerCall) with or without a filter.
  page: `SELECT * FROM resource_tags t WHERE directory_id = @d AND resource_type = @t
       AND (@ids IS NULL OR resource_id IN (SELECT value FROM json_each(@ids)))
       AND (@filter IS NULL OR EXISTS (SELECT 1 FROM json_each(@filter) f WHERE json_extract(f.value, '$.k') = t.tag_key
         AND (json_extract(f.value, '$.v') IS NULL OR json_extract(f.value, '$.v') = t.tag_value)))
       AND (@afterId IS NULL OR resource_id > @afterId OR (resource_id = @afterId AND tag_key > @afterKey))
     ORDER BY resource_id, tag_key LIMIT @limit`,
};

export function tagRepo(db: Db): TagRepo {
  const forResources = db.prepare(
    `SELECT * FROM resource_tags WHERE directory_id = ? AND resource_type = ? AND resource_id IN (${IDS})
     ORDER BY resource_id, tag_key`,
  );
  const put = db.prepare(
    `INSERT INTO resource_tags (directory_id, resource_type, resource_id, tag_key, tag_value)
     SELECT json_extract(value, '$.d'), json_extract(value, '$.t'), json_extract(value, '$.r'), json_extract(value, '$.k'),
       json_extract(value, '$.v') FROM json_each(?) WHERE true
     ON CONFLICT (directory_id, resource_type, resource_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
  );
  const remove = db.prepare(
    `DELETE FROM resource_tags WHERE directory_id = ? AND resource_type = ? AND resource_id IN (${IDS})
       AND (? IS NULL OR tag_key IN (${IDS}))`,
  );
  const overLimit = db.prepare(
    `SELECT resource_id FROM resource_tags WHERE directory_id = ? AND resource_type = ? AND resource_id IN (${IDS})
     GROUP BY resource_id HAVING count(*) > ?`,
  );
  const page = db.prepare(tagStatements.page);
  const pageOfPair = db.prepare(tagStatements.pageOfPair);
  const pageOfKey = db.prepare(tagStatements.pageOfKey);
  return {
    async forResources(directoryId, type, ids) {
      return (forResources.all(directoryId, type, JSON.stringify(ids)) as TagRow[]).map(toTag);
    },
    async put(tags) {
      if (tags.length > 0) put.run(tagsJson(tags));
    },
    async remove(directoryId, type, ids, keys) {
      const keyList = keys && JSON.stringify(keys);
      remove.run(directoryId, type, JSON.stringify(ids), keyList, keyList ?? '[]');
    },
    async overLimit(directoryId, type, ids, limit) {
      return (overLimit.all(directoryId, type, JSON.stringify(ids), limit) as Array<{ resource_id: string }>).map((r) => r.resource_id);
    },
    async page(directoryId, type, ids, filter, after, limit) {
      if (filter && !ids) {
        const rows = filter.flatMap((c) =>
          (c.value === null ? pageOfKey : pageOfPair).all({ d: directoryId, t: type, key: c.key, value: c.value, from: after?.resourceId ?? '', limit: limit + 1 }) as TagRow[],
        );
        return mergeTagPages(rows.map(toTag), after, limit);
      }
      const rows = page.all({
        d: directoryId,
        t: type,
        ids: ids && JSON.stringify(ids),
        filter: filter && filterJson(filter),
        afterId: after?.resourceId ?? null,
        afterKey: after?.key ?? null,
        limit,
      });
      return (rows as TagRow[]).map(toTag);
    },
  };
}

export function accountPayerRepo(db: Db): AccountPayerRepo {
  const get = db.prepare('SELECT payer_account_id FROM account_payers WHERE account_id = ?');
  const set = db.prepare(
    `INSERT INTO account_payers (account_id, payer_account_id) VALUES (?, ?)
     ON CONFLICT (account_id) DO UPDATE SET payer_account_id = excluded.payer_account_id`,
  );
  const del = db.prepare('DELETE FROM account_payers WHERE account_id = ?');
  const countPaidBy = db.prepare('SELECT count(*) AS n FROM account_payers WHERE payer_account_id = ?');
  const forAccounts = db.prepare(`SELECT account_id, payer_account_id FROM account_payers WHERE account_id IN (${IDS})`);
  return {
    async get(accountId) {
      return (get.get(accountId) as { payer_account_id: string } | undefined)?.payer_account_id ?? null;
    },
    async set(accountId, payerAccountId) {
      if (payerAccountId === null) del.run(accountId);
      else set.run(accountId, payerAccountId);
    },
    async countPaidBy(payerAccountId) {
      return (countPaidBy.get(payerAccountId) as { n: number }).n;
    },
    async forAccounts(accountIds) {
      const rows = forAccounts.all(JSON.stringify(accountIds)) as Array<{ account_id: string; payer_account_id: string }>;
      return new Map(rows.map((r) => [r.account_id, r.payer_account_id]));
    },
  };
}

export function accountDeletionRepo(db: Db): AccountDeletionRepo {
  const byAccount = db.prepare('SELECT * FROM account_deletions WHERE account_id = ?');
  const put = db.prepare(
    `INSERT INTO account_deletions (account_id, directory_id, checked_at, deleted_at) VALUES (@accountId, @directoryId, @checkedAt, @deletedAt)
     ON CONFLICT (account_id) DO UPDATE SET directory_id = excluded.directory_id, checked_at = excluded.checked_at,
       deleted_at = excluded.deleted_at`,
  );
  return {
    async byAccount(accountId) {
      const r = byAccount.get(accountId) as AccountDeletionRow | undefined;
      return r ? toAccountDeletion(r) : null;
    },
    async put(record) {
      put.run(record);
    },
  };
}
