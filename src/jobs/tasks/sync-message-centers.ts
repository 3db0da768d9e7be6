import { locks } from '../../services/locks.js';
import type { MessageCenterService } from '../../services/message-center.js';
import type { AccountRecord, DirectoryRecord } from '../../storage/records.js';
import type { Tx } from '../../storage/store.js';
import type { DatabaseTask } from '../task.js';

export interface SyncPayload {
  directoryId: string;
  /** The binding target whose members need syncing: the RD, a folder or an account. */
  scopeId: string;
  contactId: string;
  /** True for an unbind: MoveAccount of a member in scope is refused until it finishes. */
  unbind: boolean;
  /**
   * The cursor. A folder scope goes folder by folder (in folder-ID order), each by account
   * ID, so every batch is one index range: `afterFolderId` is the folder the last batch
   * ended in ('' or absent: the first), `afterAccountId` the last account done there.
   */
  afterFolderId?: string;
  afterAccountId: string;
}

type Cursor = { folderId: string; accountId: string };

/**
 * The next `limit` members of a folder subtree after the cursor, filling the batch from
 * as many folders as it takes. Each read is one index range, never a sort of the directory.
 */
async function nextInFolders(tx: Tx, directory: DirectoryRecord, folders: string[], after: Cursor, limit: number) {
  const batch: Array<{ account: AccountRecord; folderId: string }> = [];
  for (const folderId of folders.filter((f) => f >= after.folderId)) {
    const afterId = folderId === after.folderId ? after.accountId : '';
    for (const account of await tx.accounts.batchInFolder(directory.id, folderId, afterId, limit - batch.length)) {
      batch.push({ account, folderId });
    }
    if (batch.length === limit) break;
  }
  return batch;
}

/**
 * Fans a bind or unbind out to every member under the target, `batchSize` accounts per
 * transaction, saving the cursor with each batch: a crash repeats at most the batch that
 * was in flight, and repeating a sync changes nothing.
 */
export function syncMessageCenters(messageCenters: MessageCenterService, batchSize: number): DatabaseTask {
  const run: DatabaseTask['run'] = async (tx, job) => {
    const p = job.payload as unknown as SyncPayload;
    const directory = await tx.directories.byId(p.directoryId);
    if (!directory) return { done: true };
    const view = await messageCenters.view(tx, directory);
    const folders = messageCenters.scopeFolders(view, p.scopeId);
    if (folders !== null && folders.length === 0) {
      const account = await tx.accounts.byId(p.scopeId);
      const accounts = account?.directoryId === directory.id && account.id > p.afterAccountId ? [account] : [];
      await messageCenters.sync(tx, view, accounts);
      return { done: true };
    }
    if (folders === null) {
      const accounts = await tx.accounts.batchInFolder(directory.id, null, p.afterAccountId, batchSize);
      await messageCenters.sync(tx, view, accounts);
      if (accounts.length < batchSize) return { done: true };
      return { continueWith: { ...p, afterAccountId: accounts[accounts.length - 1]!.id } };
    }
    const after = { folderId: p.afterFolderId ?? '', accountId: p.afterAccountId };
    const batch = await nextInFolders(tx, directory, folders.sort(), after, batchSize);
    await messageCenters.sync(tx, view, batch.map((b) => b.account));
    if (batch.length < batchSize) return { done: true };
    const last = batch[batch.length - 1]!;
    return { continueWith: { ...p, afterFolderId: last.folderId, afterAccountId: last.account.id } };
  };
  // Like every writer of the directory: a binding committed meanwhile on another node
  // must not be undone by a batch computed from the bindings before it.
  const lock: DatabaseTask['lock'] = (job) => locks.directory((job.payload as unknown as SyncPayload).directoryId);
  return { lock, run };
}
