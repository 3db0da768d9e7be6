import type { MessageType } from '../domain/contact-rules.js';
import { JOB_KINDS, type JobPayload } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { TaskResult } from '../jobs/task.js';
import type { ContactRecord, DirectoryRecord, FailReason } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ServiceDeps } from './deps.js';
import { coverageWithout, splitByCoverage } from './deletion-rules.js';

export type DeletionPayload = JobPayload<typeof JOB_KINDS.deleteContact>;

/**
 * DeleteMessageContact's rules (docs/reference/model.md section 4). Retained, the contact
 * goes at once and members keep a copy. Otherwise it leaves each message center member by
 * member, in batches, unless that would leave one of the member's message types with no
 * recipient at all: then the member and those types are recorded as FailReasons and the
 * contact stays there, bound directly. Failures are saved with the cursor, so a crash
 * repeats no batch twice in effect.
 */
export class ContactDeletionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly queue: JobQueue,
    private readonly batchSize: number,
  ) {}

  /** Deletes the contact, inside the caller's transaction: at once when retained, else in the background. */
  async start(tx: Tx, directory: DirectoryRecord, contact: ContactRecord, retain: boolean): Promise<'Deleted' | 'Deleting'> {
    if (retain) {
      // Members keep their copy, with the verified addresses, and go on receiving through it.
      await tx.messageCenters.retainContact(contact.id, {
        name: contact.name,
        email: contact.emailEffective ?? '',
        phone: contact.phoneEffective ?? '',
        messageTypes: contact.messageTypes,
      });
      await this.forget(tx, directory.id, contact.id);
      return 'Deleted';
    }
    await tx.contacts.update({ ...contact, deleting: true });
    await tx.deletions.upsert({ contactId: contact.id, status: 'Deleting', failReasons: [], startedAt: this.deps.clock.now() });
    await this.queue.enqueue(tx, JOB_KINDS.deleteContact, { directoryId: directory.id, contactId: contact.id, afterAccountId: '' }, contact.id);
    return 'Deleting';
  }

  /** One batch of the background removal; the last one deletes the contact or records the deletion Failed. */
  async runBatch(tx: Tx, p: DeletionPayload): Promise<TaskResult<DeletionPayload>> {
    const contact = await tx.contacts.byId(p.directoryId, p.contactId);
    const deletion = await tx.deletions.byContact(p.contactId);
    if (!contact || !deletion) return { done: true };

    const entries = await tx.messageCenters.batchForContact(contact.id, p.afterAccountId, this.batchSize);
    const accountIds = entries.map((e) => e.accountId);
    // A contact bound nowhere (the common quick delete) has no batch to check: no reads for it.
    const covered = entries.length === 0 ? new Map<string, Set<MessageType>>() : await coverage(tx, p.directoryId, contact.id, accountIds);
    const { removals, failures } = splitByCoverage(contact.messageTypes, entries, covered);
    await tx.messageCenters.deleteMany(removals);
    const failReasons = [...deletion.failReasons, ...failures];
    if (failures.length > 0) await tx.deletions.upsert({ ...deletion, failReasons });
    if (entries.length === this.batchSize) return { continueWith: { ...p, afterAccountId: accountIds[accountIds.length - 1]! } };

    if (failReasons.length === 0) {
      await this.forget(tx, p.directoryId, contact.id);
    } else {
      await keepWhereRemovalFailed(tx, contact.id, failReasons, this.deps.clock.now());
      await tx.contacts.update({ ...contact, deleting: false });
      await tx.deletions.upsert({ ...deletion, status: 'Failed', failReasons });
    }
    return { done: true };
  }

  /**
   * A deletion that cannot finish (an error on every attempt) must not leave the contact
   * Deleting for ever: it goes back to its previous status, the deletion reads Failed.
   */
  async giveUp(tx: Tx, p: DeletionPayload): Promise<void> {
    const contact = await tx.contacts.byId(p.directoryId, p.contactId);
    const deletion = await tx.deletions.byContact(p.contactId);
    if (contact) await tx.contacts.update({ ...contact, deleting: false });
    if (deletion) await tx.deletions.upsert({ ...deletion, status: 'Failed' });
  }

  /** The contact, its bindings and its deletion record gone. */
  private async forget(tx: Tx, directoryId: string, contactId: string): Promise<void> {
    await tx.bindings.deleteForContact(contactId);
    await tx.deletions.delete(contactId);
    await tx.contacts.delete(directoryId, contactId);
  }
}

/** What every member of a batch still receives without this contact (`coverageWithout`), read in three statements. */
async function coverage(tx: Tx, directoryId: string, contactId: string, accountIds: string[]): Promise<Map<string, Set<MessageType>>> {
  const owners = await tx.messageCenters.ownerTypesFor(accountIds);
  const contactTypes = new Map((await tx.contacts.all(directoryId)).map((c) => [c.id, c.messageTypes]));
  return coverageWithout(contactId, accountIds, owners, contactTypes, await tx.messageCenters.forAccounts(accountIds));
}

/**
 * After a failed deletion the contact stays bound exactly where its removal failed: a
 * direct binding on each such member, so the message centers still follow from the bindings.
 */
async function keepWhereRemovalFailed(tx: Tx, contactId: string, failReasons: FailReason[], now: number): Promise<void> {
  await tx.bindings.deleteForContact(contactId);
  await tx.bindings.insertMany(failReasons.map(({ AccountId }) => ({ contactId, memberId: AccountId, memberKind: 'account' as const, boundAt: now })));
  await tx.messageCenters.upsertMany(failReasons.map(({ AccountId }) => ({ accountId: AccountId, contactId, source: 'Inherited' as const, via: [AccountId], retained: null })));
}
