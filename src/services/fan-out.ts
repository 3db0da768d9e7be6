import { JOB_KINDS, type JobPayload } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { TaskResult } from '../jobs/task.js';
import type { AccountRecord, DirectoryRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { MessageCenterService } from './message-center.js';
import { scopeFolders } from './message-center-rules.js';

export type FanOutPayload = JobPayload<typeof JOB_KINDS.syncMessageCenters>;

type Cursor = { folderId: string; accountId: string };

/**
 * The background half of a bind or unbind: the message centers of every member under the
 * target follow the bindings, `batchSize` accounts per transaction, the cursor saved with
 * each batch, so a crash repeats at most the batch in flight (and repeating a sync changes
 * nothing). The one service that knows this job's payload.
 */
export class FanOutService {
  constructor(
    private readonly queue: JobQueue,
    private readonly messageCenters: MessageCenterService,
    private readonly batchSize: number,
  ) {}

  /** Starts the fan-out of a binding made (`unbind` false) or removed, in the caller's transaction. */
  async start(tx: Tx, directory: DirectoryRecord, contactId: string, scopeId: string, unbind: boolean): Promise<void> {
    await this.queue.enqueue(tx, JOB_KINDS.syncMessageCenters, { directoryId: directory.id, scopeId, contactId, unbind, afterAccountId: '' }, contactId);
  }

  /** Whether an unbind over any of these targets of the directory is still fanning out. */
  async unbindPending(tx: Tx, directoryId: string, targets: Set<string>): Promise<boolean> {
    return (await this.queue.pending(tx, directoryId, JOB_KINDS.syncMessageCenters)).some((p) => p.unbind && targets.has(p.scopeId));
  }

  /** One batch of the fan-out. */
  async runBatch(tx: Tx, p: FanOutPayload): Promise<TaskResult<FanOutPayload>> {
    const directory = await tx.directories.byId(p.directoryId);
    if (!directory) return { done: true };
    const view = await this.messageCenters.view(tx, directory);
    const folders = scopeFolders(view, p.scopeId);
    if (folders !== null && folders.length === 0) {
      const account = await tx.accounts.byId(p.scopeId);
      const accounts = account?.directoryId === directory.id && account.id > p.afterAccountId ? [account] : [];
      await this.messageCenters.sync(tx, view, accounts);
      return { done: true };
    }
    if (folders === null) {
      const accounts = await tx.accounts.batchInFolder(directory.id, null, p.afterAccountId, this.batchSize);
      await this.messageCenters.sync(tx, view, accounts);
      if (accounts.length < this.batchSize) return { done: true };
      return { continueWith: { ...p, afterAccountId: accounts[accounts.length - 1]!.id } };
    }
    const after = { folderId: p.afterFolderId ?? '', accountId: p.afterAccountId };
    const batch = await this.nextInFolders(tx, directory, folders.sort(), after);
    await this.messageCenters.sync(tx, view, batch.map((b) => b.account));
    if (batch.length < this.batchSize) return { done: true };
    const last = batch[batch.length - 1]!;
    return { continueWith: { ...p, afterFolderId: last.folderId, afterAccountId: last.account.id } };
  }

  /**
   * The next batch of members of a folder subtree after the cursor, filled from as many
   * folders as it takes. Each read is one index range, never a sort of the directory.
   */
  private async nextInFolders(tx: Tx, directory: DirectoryRecord, folders: string[], after: Cursor) {
    const batch: Array<{ account: AccountRecord; folderId: string }> = [];
    for (const folderId of folders.filter((f) => f >= after.folderId)) {
      const afterId = folderId === after.folderId ? after.accountId : '';
      for (const account of await tx.accounts.batchInFolder(directory.id, folderId, afterId, this.batchSize - batch.length)) {
        batch.push({ account, folderId });
      }
      if (batch.length === this.batchSize) break;
    }
    return batch;
  }
}
