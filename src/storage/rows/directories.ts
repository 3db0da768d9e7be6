import type { DirectoryRecord } from '../records.js';

/** A `directories` row as both dialects return it. */
export interface DirectoryRow {
  id: string;
  master_account_id: string;
  master_account_name: string;
  root_folder_id: string;
  create_time: number;
}

export const toDirectory = (r: DirectoryRow): DirectoryRecord => ({
  id: r.id,
  masterAccountId: r.master_account_id,
  masterAccountName: r.master_account_name,
  rootFolderId: r.root_folder_id,
  createTime: r.create_time,
});
