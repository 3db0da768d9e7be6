import type { MessageType } from '../domain/contact-rules.js';
import type { FailReason, MessageCenterEntry, MessageCenterKey } from '../storage/records.js';
import { MessageCenterService } from './message-center.js';

/**
 * The coverage rule of a deletion that does not retain (docs/reference/model.md section 4), as
 * pure functions: a contact leaves a member's message center only if every one of its message
 * types still has a recipient there. Unit-tested without a store (test/unit/deletion-rules.test.ts).
 */

/**
 * What each member still receives without `contactId`: its owner's subscriptions (every type
 * when never set) plus the types of its other entries, a retained copy by its own types, a
 * live contact by `contactTypes`.
 */
export function coverageWithout(
  contactId: string,
  accountIds: string[],
  ownerTypes: Map<string, MessageType[]>,
  contactTypes: Map<string, MessageType[]>,
  entries: MessageCenterEntry[],
): Map<string, Set<MessageType>> {
  const covered = new Map(accountIds.map((id) => [id, new Set<MessageType>(MessageCenterService.ownerTypes(ownerTypes.get(id)))]));
  for (const other of entries) {
    if (other.contactId === contactId) continue;
    for (const t of other.retained?.messageTypes ?? contactTypes.get(other.contactId) ?? []) covered.get(other.accountId)?.add(t);
  }
  return covered;
}

/** The entries the contact may leave, and a FailReason for each member where types would go uncovered. */
export function splitByCoverage(
  messageTypes: MessageType[],
  entries: MessageCenterKey[],
  covered: Map<string, Set<MessageType>>,
): { removals: MessageCenterKey[]; failures: FailReason[] } {
  const removals: MessageCenterKey[] = [];
  const failures: FailReason[] = [];
  for (const entry of entries) {
    const uncovered = messageTypes.filter((t) => !covered.get(entry.accountId)?.has(t));
    if (uncovered.length > 0) failures.push({ AccountId: entry.accountId, MessageTypes: uncovered });
    else removals.push(entry);
  }
  return { removals, failures };
}
