import type { AccountRecord, ContactRecord, DirectoryRecord, FolderRecord, MessageCenterEntry, MessageCenterKey } from '../storage/records.js';

/**
 * The message-center rules as pure functions of what a directory holds (docs/reference/model.md
 * section 3): no store, no clock, so they are unit-tested in milliseconds
 * (test/unit/message-center-rules.test.ts) and MessageCenterService only reads and writes.
 */

/** What a batch of message-center work needs to know about one directory, read once: all of it, or what reaches some accounts (MessageCenterService.view, accountView). */
export interface DirectoryView {
  directory: DirectoryRecord;
  folders: ReadonlyMap<string, FolderRecord>;
  contacts: Map<string, ContactRecord>;
  /** Binding target -> IDs of the contacts bound to it directly. */
  boundTo: Map<string, string[]>;
}

/** The binding targets that reach an account, broadest first: the RD, the Root, each folder down, the account. */
export function targetsReaching(view: DirectoryView, account: Pick<AccountRecord, 'id' | 'folderId'>): string[] {
  const chain: string[] = [];
  for (let id = account.folderId; id; id = view.folders.get(id)?.parentId ?? null) chain.unshift(id);
  return [view.directory.id, ...chain, account.id];
}

/** Folder IDs of a scope's subtree; null when the scope is the whole directory; [] for an account. */
export function scopeFolders(view: DirectoryView, scopeId: string): string[] | null {
  if (scopeId === view.directory.id || scopeId === view.directory.rootFolderId) return null;
  if (!view.folders.has(scopeId)) return [];
  const inside = new Set([scopeId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of view.folders.values()) {
      if (f.parentId && inside.has(f.parentId) && !inside.has(f.id)) {
        inside.add(f.id);
        grew = true;
      }
    }
  }
  return [...inside];
}

/** Which contacts should reach the account, and through which targets (broadest first). */
export function desiredEntries(view: DirectoryView, account: Pick<AccountRecord, 'id' | 'folderId'>): Map<string, string[]> {
  const via = new Map<string, string[]>();
  for (const target of targetsReaching(view, account)) {
    for (const contactId of view.boundTo.get(target) ?? []) via.set(contactId, [...(via.get(contactId) ?? []), target]);
  }
  return via;
}

/**
 * The writes that bring one account's inherited entries in line with the bindings. Entries of
 * a contact being deleted are left alone (its deletion job decides their fate, member by
 * member); retained entries are never touched; an entry already right is not rewritten.
 */
export function syncChanges(
  view: DirectoryView,
  account: Pick<AccountRecord, 'id' | 'folderId'>,
  current: MessageCenterEntry[],
): { upserts: MessageCenterEntry[]; removals: MessageCenterKey[] } {
  const want = desiredEntries(view, account);
  const have = new Map(current.map((e) => [e.contactId, e]));
  const deleting = (contactId: string) => view.contacts.get(contactId)?.deleting === true;
  const upserts: MessageCenterEntry[] = [];
  const removals: MessageCenterKey[] = [];
  for (const [contactId, via] of want) {
    if (deleting(contactId)) continue;
    const existing = have.get(contactId);
    if (existing?.source === 'Inherited' && existing.via.join() === via.join()) continue;
    upserts.push({ accountId: account.id, contactId, source: 'Inherited', via, retained: null });
  }
  for (const [contactId, entry] of have) {
    if (entry.source !== 'Inherited' || want.has(contactId) || deleting(contactId)) continue;
    removals.push({ accountId: account.id, contactId });
  }
  return { upserts, removals };
}
