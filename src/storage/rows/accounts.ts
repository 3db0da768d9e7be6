import type { AccountRecord } from '../records.js';

/** An `accounts` row as both dialects return it. */
export interface AccountRow {
  id: string;
  directory_id: string | null;
  folder_id: string | null;
  account_name: string;
  display_name: string;
  type: AccountRecord['type'];
  join_method: AccountRecord['joinMethod'];
  join_time: number;
  modify_time: number;
}

export const toAccount = (r: AccountRow): AccountRecord => ({
  id: r.id,
  directoryId: r.directory_id,
  folderId: r.folder_id,
  accountName: r.account_name,
  displayName: r.display_name,
  type: r.type,
  joinMethod: r.join_method,
  joinTime: r.join_time,
  modifyTime: r.modify_time,
});
