import type { MessageCenterService } from '../../services/message-center.js';
import type { DatabaseTask } from '../task.js';

export interface SyncPayload {
  directoryId: string;
  /** The binding target whose members need syncing: the RD, a folder or an account. */
  scopeId: string;
  contactId: string;
  /** True for an unbind: MoveAccount of a member in scope is refused until it finishes. */
  unbind: boolean;
  /** Accounts up to this ID are done (batches go in account-ID order). */
  afterAccountId: string;
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
    // Like every writer of the directory: a binding committed meanwhile on another node
    // must not be undone by a batch computed from the bindings before it.
    await tx.lockDirectory(directory.id);
    const view = await messageCenters.view(tx, directory);
    const folders = messageCenters.scopeFolders(view, p.scopeId);
    let accounts;
    if (folders !== null && folders.length === 0) {
      const account = await tx.accounts.byId(p.scopeId);
      accounts = account?.directoryId === directory.id && account.id > p.afterAccountId ? [account] : [];
    } else {
      accounts = await tx.accounts.batchInFolders(directory.id, folders, p.afterAccountId, batchSize);
    }
    await messageCenters.sync(tx, view, accounts);
    if (accounts.length < batchSize) return { done: true };
    return { continueWith: { ...p, afterAccountId: accounts[accounts.length - 1]!.id } };
  };
  return { run };
}
