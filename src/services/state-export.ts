import { setImmediate } from 'node:timers/promises';
import type { ConfiguredIdentity } from '../domain/identity.js';
import { CONTROL_POLICY_LIMITS } from '../domain/control-policy-rules.js';
import type { ControlPolicyAttachmentRecord, DirectoryRecord, FolderRecord, TagResourceType } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { AccountEntry, ContactEntry, ControlPolicyEntry, DirectoryEntry } from './state-file.js';

/** Accounts per read: each page is one read of the accounts, one of their tags (up to 20 each) and one of their payers, and the event loop is given back between two pages. */
const PAGE = 250;

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/**
 * Tags of several resources as key-to-value maps; untagged resources are absent. The maps have
 * no prototype, so a key such as `__proto__` is an own property like any other and is written out.
 */
async function tagMaps(tx: Tx, directoryId: string, type: TagResourceType, ids: string[]): Promise<Map<string, Record<string, string>>> {
  const maps = new Map<string, Record<string, string>>();
  if (ids.length === 0) return maps;
  for (const t of await tx.tags.forResources(directoryId, type, ids)) {
    const map = maps.get(t.resourceId) ?? (Object.create(null) as Record<string, string>);
    map[t.key] = t.value;
    maps.set(t.resourceId, map);
  }
  return maps;
}

/** `"Key":` and the value, as JSON; an object's fields joined by the caller. */
const field = (key: string, value: unknown) => `${JSON.stringify(key)}:${JSON.stringify(value)}`;

/**
 * A state file as JSON text, a page of accounts at a time: what `GET /_rdmc/state` streams.
 * Memory holds one page of accounts (and a directory's folders and contacts, bounded by their
 * quotas), whatever the size of the directories, and the event loop is given back between
 * pages. `tx` is the snapshot every page is read from, so the file is one moment's state.
 *
 * The shape is `rdmc export`'s: directories by owner, folders by name under their parent,
 * each folder's sub-folders before its accounts, accounts by ID (the order an index walks),
 * contacts by name; keys left out where the value is empty. `Identities` closes it: who the
 * configured keys are (never their secrets), for the reader; an import ignores them.
 */
export async function* stateJson(tx: Tx, owners: string[], identities: ConfiguredIdentity[]): AsyncGenerator<string> {
  yield '{"Directories":[';
  let first = true;
  for (const owner of [...new Set(owners)].sort()) {
    const directory = await tx.directories.byMasterAccount(owner);
    if (!directory) continue;
    if (!first) yield ',';
    first = false;
    yield* directoryJson(tx, directory);
  }
  yield `],"Identities":${JSON.stringify(identities)}}`;
}

async function* directoryJson(tx: Tx, directory: DirectoryRecord): AsyncGenerator<string> {
  const settings = await tx.directorySettings.get(directory.id);
  const head: Partial<DirectoryEntry> = { MasterAccountId: directory.masterAccountId, ResourceDirectoryId: directory.id, RootFolderId: directory.rootFolderId };
  if (settings) {
    head.Settings = {
      ControlPolicyStatus: settings.controlPolicyStatus,
      MemberDeletionStatus: settings.memberDeletionStatus,
      MemberAccountDisplayNameSyncStatus: settings.memberDisplayNameSyncStatus,
    };
  }
  yield JSON.stringify(head).slice(0, -1);
  // Bounded by the services' maxima: held whole, like the folders.
  const delegated = new Map<string, string[]>();
  for (const d of await tx.delegations.ofDirectory(directory.id)) delegated.set(d.accountId, [...(delegated.get(d.accountId) ?? []), d.servicePrincipal]);
  const folders = await tx.folders.all(directory.id);
  const folderTags = await tagMaps(tx, directory.id, 'Folder', folders.map((f) => f.id));
  const children = new Map<string, FolderRecord[]>();
  for (const f of folders) if (f.parentId !== null) children.set(f.parentId, [...(children.get(f.parentId) ?? []), f]);
  for (const list of children.values()) list.sort(byKey((f) => f.name));

  // Depth first, as the file nests them; at most five levels.
  async function* folderJson(folder: FolderRecord): AsyncGenerator<string> {
    const fields = [field('FolderId', folder.id), field('FolderName', folder.name)];
    if (folderTags.has(folder.id)) fields.push(field('Tags', folderTags.get(folder.id)));
    yield `{${fields.join(',')}`;
    yield* folderList(folder.id);
    yield* accountsJson(tx, directory, folder.id, delegated);
    yield '}';
  }
  async function* folderList(parentId: string): AsyncGenerator<string> {
    const list = children.get(parentId) ?? [];
    if (list.length === 0) return;
    yield ',"Folders":[';
    for (const [i, f] of list.entries()) {
      if (i > 0) yield ',';
      yield* folderJson(f);
    }
    yield ']';
  }

  yield ',"Folders":[';
  for (const [i, f] of (children.get(directory.rootFolderId) ?? []).entries()) {
    if (i > 0) yield ',';
    yield* folderJson(f);
  }
  yield ']';
  // The Root's accounts always, as an empty list too: the management account is there.
  const root = accountsJson(tx, directory, directory.rootFolderId, delegated);
  let wrote = false;
  for await (const text of root) {
    wrote = true;
    yield text;
  }
  if (!wrote) yield ',"Accounts":[]';
  yield `,"Contacts":${JSON.stringify(await contactsOf(tx, directory))}`;
  yield* controlPoliciesJson(tx, directory);
  yield '}';
}

/**
 * `,"ControlPolicies":[…]`, the custom policies by name with their tags and the targets they
 * are attached to (the system policy's attachments follow the switch); nothing when there are
 * none. The quota bounds the policies; each policy's targets are read a page at a time, each page seeking from the last.
 */
async function* controlPoliciesJson(tx: Tx, directory: DirectoryRecord): AsyncGenerator<string> {
  const policies = (await tx.controlPolicies.page(directory.id, null, { offset: 0, limit: CONTROL_POLICY_LIMITS.perDirectory })).sort(byKey((p) => p.name));
  if (policies.length === 0) return;
  const tags = await tagMaps(tx, directory.id, 'ControlPolicy', policies.map((p) => p.id));
  yield ',"ControlPolicies":[';
  for (const [i, p] of policies.entries()) {
    const targets: string[] = [];
    for (let after: ControlPolicyAttachmentRecord | null = null; ; ) {
      const page: ControlPolicyAttachmentRecord[] = await tx.controlPolicies.targetsAfter(directory.id, p.id, after, PAGE);
      targets.push(...page.map((t) => t.targetId));
      if (page.length < PAGE) break;
      after = page[page.length - 1]!;
      await setImmediate();
    }
    const entry: ControlPolicyEntry = { PolicyId: p.id, PolicyName: p.name, ...(p.description && { Description: p.description }), PolicyDocument: p.document, ...(tags.has(p.id) && { Tags: tags.get(p.id) }), Targets: targets };
    yield `${i > 0 ? ',' : ''}${JSON.stringify(entry)}`;
  }
  yield ']';
}

/** `,"Accounts":[…]` for one folder's members, a page at a time; nothing when it has none. */
async function* accountsJson(tx: Tx, directory: DirectoryRecord, folderId: string, delegated: Map<string, string[]>): AsyncGenerator<string> {
  let opened = false;
  for (let after = ''; ; ) {
    const page = await tx.accounts.batchInFolder(directory.id, folderId, after, PAGE);
    const ids = page.map((a) => a.id);
    const tags = await tagMaps(tx, directory.id, 'Account', ids);
    const payers = await tx.accountPayers.forAccounts(ids);
    const entries: AccountEntry[] = [];
    for (const a of page) {
      if (a.id === directory.masterAccountId) continue;
      const payer = payers.get(a.id);
      const services = delegated.get(a.id);
      entries.push({
        AccountId: a.id,
        DisplayName: a.displayName,
        AccountName: a.accountName,
        ...(tags.has(a.id) && { Tags: tags.get(a.id) }),
        ...(payer && { PayerAccountId: payer }),
        ...(services && { DelegatedServices: services }),
        ...(a.joinMethod === 'invited' && { JoinMethod: 'invited' as const }),
      });
    }
    if (entries.length > 0) {
      const text = JSON.stringify(entries).slice(1, -1);
      yield opened ? `,${text}` : `,"Accounts":[${text}`;
      opened = true;
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
    // Other requests run between two pages.
    await setImmediate();
  }
  if (opened) yield ']';
}

async function contactsOf(tx: Tx, directory: DirectoryRecord): Promise<ContactEntry[]> {
  const contacts = (await tx.contacts.all(directory.id)).filter((c) => !c.deleting).sort(byKey((c) => c.name));
  const bindings = await tx.bindings.forContacts(contacts.map((c) => c.id));
  const members = new Map<string, string[]>();
  for (const b of bindings) members.set(b.contactId, [...(members.get(b.contactId) ?? []), b.memberId]);
  return contacts.map((c) => ({
    ContactId: c.id,
    Name: c.name,
    Title: c.title,
    MessageTypes: c.messageTypes,
    ...(c.emailEffective !== null && { EmailAddress: c.emailEffective }),
    ...(c.phoneEffective !== null && { PhoneNumber: c.phoneEffective }),
    ...(c.emailPending !== null && { PendingEmailAddress: c.emailPending }),
    ...(c.phonePending !== null && { PendingPhoneNumber: c.phonePending }),
    Members: members.get(c.id) ?? [],
  }));
}
