import type { AccountDeletionRecord, DirectorySettingsRecord, TagRecord } from '../records.js';

/** A `directory_settings` row as both dialects return it. */
export interface DirectorySettingsRow {
  directory_id: string;
  control_policy_status: DirectorySettingsRecord['controlPolicyStatus'];
  member_deletion_status: DirectorySettingsRecord['memberDeletionStatus'];
  member_display_name_sync_status: DirectorySettingsRecord['memberDisplayNameSyncStatus'];
}

export const toSettings = (r: DirectorySettingsRow): DirectorySettingsRecord => ({
  directoryId: r.directory_id,
  controlPolicyStatus: r.control_policy_status,
  memberDeletionStatus: r.member_deletion_status,
  memberDisplayNameSyncStatus: r.member_display_name_sync_status,
});

/** A `resource_tags` row as both dialects return it. */
export interface TagRow {
  directory_id: string;
  resource_type: TagRecord['resourceType'];
  resource_id: string;
  tag_key: string;
  tag_value: string;
}

export const toTag = (r: TagRow): TagRecord => ({
  directoryId: r.directory_id,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  key: r.tag_key,
  value: r.tag_value,
});

/** Tag rows as one JSON parameter, so a whole set is written by one fixed statement. */
export const tagsJson = (tags: TagRecord[]) =>
  JSON.stringify(tags.map((t) => ({ d: t.directoryId, t: t.resourceType, r: t.resourceId, k: t.key, v: t.value })));

/** Tag conditions as one JSON parameter (`v` null: any value). */
export const filterJson = (filter: Array<{ key: string; value: string | null }>) =>
  JSON.stringify(filter.map((f) => ({ k: f.key, v: f.value })));

/** An `account_deletions` row as both dialects return it (PostgreSQL BIGINTs arrive as numbers, see db.ts). */
export interface AccountDeletionRow {
  account_id: string;
  directory_id: string;
  checked_at: number | null;
  deleted_at: number | null;
}

export const toAccountDeletion = (r: AccountDeletionRow): AccountDeletionRecord => ({
  accountId: r.account_id,
  directoryId: r.directory_id,
  checkedAt: r.checked_at,
  deletedAt: r.deleted_at,
});
