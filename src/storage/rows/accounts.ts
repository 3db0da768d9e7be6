import type { AccountRecord } from '../records.js';
import type { AccountCursor, AccountFilter, PlacedAccount } from '../store.js';

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

/** A row read with its write sequence (SQLite's rowid, PostgreSQL's `seq` column). */
export const toPlacedAccount = (r: AccountRow & { seq: number }): PlacedAccount => ({
  account: toAccount(r),
  place: { joinTime: r.join_time, seq: r.seq },
});

/** Where the first keyset page starts: before every place either store can give an account. */
export const BEFORE_ANY_ACCOUNT: AccountCursor = { joinTime: Number.MIN_SAFE_INTEGER, seq: Number.MIN_SAFE_INTEGER };

/** The statement of a filter's scope: the whole directory's, or one folder's. */
export const inScope = <T>(f: AccountFilter, wholeDirectory: T, oneFolder: T): T => (f.folderId === null ? wholeDirectory : oneFolder);

/**
 * Where a display-name prefix search starts and stops: both stores compare names byte-wise
 * (SQLite's BINARY, PostgreSQL's "C"), so every name starting with `prefix` sorts from
 * `prefix` itself (or just after the page's last name) to below `prefix` + the last code
 * point; `skip` is the previous page's last name ('' on the first page: no name is empty).
 */
export const namePrefixRange = (prefix: string, afterName: string | null) => ({
  from: afterName ?? prefix,
  to: `${prefix}\u{10FFFF}`,
  skip: afterName ?? '',
});
