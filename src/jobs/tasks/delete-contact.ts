import type { MessageType } from '../../domain/contact-rules.js';
import { locks } from '../../services/locks.js';
import { MessageCenterService } from '../../services/message-center.js';
import type { FailReason, MessageCenterKey } from '../../storage/records.js';
import type { Tx } from '../../storage/store.js';
import type { DatabaseTask } from '../task.js';

export interface DeletePayload {
  directoryId: string;
  contactId: string;
  afterAccountId: string;
}

/**
 * The asynchronous half of DeleteMessageContact with RetainContactInMembers=false
 * (docs/reference/model.md section 4). Member by member, in batches, the contact leaves each message
 * center, unless that would leave one of the member's message types with no recipient at
 * all: then the member and those types are recorded and the contact stays there. Failures
 * are saved with the cursor, so a crash repeats no batch twice in effect.
 */
export function deleteContact(clock: { now(): number }, batchSize: number): DatabaseTask {
  const run: DatabaseTask['run'] = async (tx, job) => {
    const p = job.payload as unknown as DeletePayload;
    const contact = await tx.contacts.byId(p.directoryId, p.contactId);
    const deletion = await tx.deletions.byContact(p.contactId);
    if (!contact || !deletion) return { done: true };

    const entries = await tx.messageCenters.batchForContact(contact.id, p.afterAccountId, batchSize);
    const accountIds = entries.map((e) => e.accountId);
    // A contact bound nowhere (the common quick delete) has no batch to check: no reads for it.
    const covered = entries.length === 0 ? new Map<string, Set<MessageType>>() : await coverage(tx, p.directoryId, contact.id, accountIds);
    const failures: FailReason[] = [];
    const removals: MessageCenterKey[] = [];
    for (const entry of entries) {
      const uncovered = contact.messageTypes.filter((t) => !covered.get(entry.accountId)!.has(t));
      if (uncovered.length > 0) failures.push({ AccountId: entry.accountId, MessageTypes: uncovered });
      else removals.push(entry);
    }
    await tx.messageCenters.deleteMany(removals);
    const failReasons = [...deletion.failReasons, ...failures];
    if (failures.length > 0) await tx.deletions.upsert({ ...deletion, failReasons });
    if (entries.length === batchSize) return { continueWith: { ...p, afterAccountId: accountIds[accountIds.length - 1]! } };

    if (failReasons.length === 0) {
      await tx.bindings.deleteForContact(contact.id);
      await tx.deletions.delete(contact.id);
      await tx.contacts.delete(p.directoryId, contact.id);
    } else {
      await keepWhereRemovalFailed(tx, contact.id, failReasons, clock.now());
      await tx.contacts.update({ ...contact, deleting: false });
      await tx.deletions.upsert({ ...deletion, status: 'Failed', failReasons });
    }
    return { done: true };
  };
  // A deletion that cannot finish (an error on every attempt) must not leave the contact
  // Deleting for ever: it goes back to its previous status, the deletion reads Failed.
  const failed: DatabaseTask['failed'] = async (tx, job, _error, final) => {
    if (!final) return;
    const p = job.payload as unknown as DeletePayload;
    const contact = await tx.contacts.byId(p.directoryId, p.contactId);
    const deletion = await tx.deletions.byContact(p.contactId);
    if (contact) await tx.contacts.update({ ...contact, deleting: false });
    if (deletion) await tx.deletions.upsert({ ...deletion, status: 'Failed' });
  };
  // Like every writer of the directory, so the batch sees bindings and contacts hold still,
  // and `failed` does not write a contact back over a verification confirmed meanwhile.
  const lock: DatabaseTask['lock'] = (job) => locks.directory((job.payload as unknown as DeletePayload).directoryId);
  return { lock, run, failed };
}

/** What every member of a batch still receives without this contact: owner plus the other contacts. */
async function coverage(tx: Tx, directoryId: string, contactId: string, accountIds: string[]): Promise<Map<string, Set<MessageType>>> {
  const owners = await tx.messageCenters.ownerTypesFor(accountIds);
  const contactTypes = new Map((await tx.contacts.all(directoryId)).map((c) => [c.id, c.messageTypes]));
  const covered = new Map(accountIds.map((id) => [id, new Set<MessageType>(MessageCenterService.ownerTypes(owners.get(id)))]));
  for (const other of await tx.messageCenters.forAccounts(accountIds)) {
    if (other.contactId === contactId) continue;
    for (const t of other.retained?.messageTypes ?? contactTypes.get(other.contactId) ?? []) covered.get(other.accountId)!.add(t);
  }
  return covered;
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
