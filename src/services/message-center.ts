import { MESSAGE_TYPES, type MessageType } from '../domain/contact-rules.js';
import { errors } from '../domain/errors.js';
import type { AccountRecord, BindingRecord, DirectoryRecord, MessageCenterEntry, MessageCenterKey } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ServiceDeps } from './deps.js';
import { foldersUpToRoot } from './folder-chain.js';
import { locks } from '../storage/locks.js';
import { syncChanges, type DirectoryView } from './message-center-rules.js';

/** Binding target -> IDs of the contacts bound to it directly. */
function boundTo(bindings: BindingRecord[]): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const b of bindings) byTarget.set(b.memberId, [...(byTarget.get(b.memberId) ?? []), b.contactId]);
  return byTarget;
}

/**
 * Member message centers (docs/reference/model.md section 3). Each account's inherited entries are a
 * pure function of the bindings and the folder tree, so syncing an account twice, or after
 * a crash, converges on the same rows: that is what makes every fan-out job idempotent.
 */
export class MessageCenterService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The whole directory: what a fan-out over a folder's subtree needs (`scopeFolders`). */
  async view(tx: Tx, directory: DirectoryRecord): Promise<DirectoryView> {
    const folders = new Map((await tx.folders.all(directory.id)).map((f) => [f.id, f]));
    const contacts = new Map((await tx.contacts.all(directory.id)).map((c) => [c.id, c]));
    return { directory, folders, contacts, boundTo: boundTo(await tx.bindings.forContacts([...contacts.keys()])) };
  }

  /** Brings the inherited entries of these accounts in line with the bindings (`syncChanges`), in two statements. */
  async sync(tx: Tx, view: DirectoryView, accounts: AccountRecord[]): Promise<void> {
    const current = new Map<string, MessageCenterEntry[]>();
    for (const e of await tx.messageCenters.forAccounts(accounts.map((a) => a.id))) {
      current.set(e.accountId, [...(current.get(e.accountId) ?? []), e]);
    }
    const upserts: MessageCenterEntry[] = [];
    const removals: MessageCenterKey[] = [];
    for (const account of accounts) {
      const changes = syncChanges(view, account, current.get(account.id) ?? []);
      upserts.push(...changes.upserts);
      removals.push(...changes.removals);
    }
    // The whole batch in two statements, whatever its size.
    await tx.messageCenters.upsertMany(upserts);
    await tx.messageCenters.deleteMany(removals);
  }

  /**
   * What syncing these accounts needs of their directory, and no more: the folders from theirs
   * up to the Root, the bindings on those folders, the directory and the accounts, and the
   * contacts of those bindings and of the accounts' present entries (whose deletion `sync`
   * must leave alone). A member created or moved in a directory of thousands of folders and
   * contacts reads a handful of rows, where `view` reads the whole directory.
   */
  async accountView(tx: Tx, directory: DirectoryRecord, accounts: AccountRecord[]): Promise<DirectoryView> {
    const folders = await foldersUpToRoot(tx, directory.id, accounts.flatMap((a) => (a.folderId ? [a.folderId] : [])));
    const bindings = await tx.bindings.forMembers([directory.id, ...folders.keys(), ...accounts.map((a) => a.id)]);
    const entries = await tx.messageCenters.forAccounts(accounts.map((a) => a.id));
    const contactIds = [...new Set([...bindings.map((b) => b.contactId), ...entries.map((e) => e.contactId)])];
    const contacts = new Map((await tx.contacts.list(directory.id, contactIds, { offset: 0, limit: contactIds.length })).items.map((c) => [c.id, c]));
    // Only this directory's contacts, as `view` reads them: a binding row is keyed by IDs alone.
    return { directory, folders, contacts, boundTo: boundTo(bindings.filter((b) => contacts.has(b.contactId))) };
  }

  /** Syncs one account at once, inside the caller's transaction (account created). */
  async syncAccount(tx: Tx, directory: DirectoryRecord, account: AccountRecord): Promise<void> {
    await this.sync(tx, await this.accountView(tx, directory, [account]), [account]);
  }

  /** The owner's subscriptions: every type until the operator says otherwise. */
  static ownerTypes(stored: MessageType[] | null | undefined): MessageType[] {
    return stored ?? [...MESSAGE_TYPES];
  }

  private async requireAccount(tx: Tx, accountId: string): Promise<AccountRecord> {
    const account = await tx.accounts.byId(accountId);
    if (!account) throw errors.accountNotExists();
    return account;
  }

  /** The types an account's owner receives. */
  async ownerTypesOf(tx: Tx, accountId: string): Promise<MessageType[]> {
    return MessageCenterService.ownerTypes(await tx.messageCenters.ownerTypes(accountId));
  }

  /** The admin read: owner and contacts with their effective addresses. */
  async read(accountId: string) {
    return this.deps.store.read(async (tx) => {
      const account = await this.requireAccount(tx, accountId);
      return {
        AccountId: account.id,
        Owner: { MessageTypes: await this.ownerTypesOf(tx, account.id) },
        Contacts: await this.recipients(tx, account),
      };
    });
  }

  /**
   * The contacts of an account's message center as recipients: the live RD contact (its
   * verified addresses) for an inherited entry, the kept copy for a retained one. The
   * directory's contacts are read once, not once per entry.
   */
  async recipients(tx: Tx, account: AccountRecord) {
    const entries = await tx.messageCenters.forAccount(account.id);
    const live = new Map(
      account.directoryId && entries.some((e) => !e.retained) ? (await tx.contacts.all(account.directoryId)).map((c) => [c.id, c]) : [],
    );
    return entries.flatMap((e) => {
      const source = { Source: e.source, Via: e.via };
      if (e.retained) {
        const r = e.retained;
        return [{ ContactId: e.contactId, Name: r.name, EmailAddress: r.email, PhoneNumber: r.phone, MessageTypes: r.messageTypes, ...source }];
      }
      const c = live.get(e.contactId);
      if (!c) return [];
      const addresses = { EmailAddress: c.emailEffective ?? '', PhoneNumber: c.phoneEffective ?? '' };
      return [{ ContactId: c.id, Name: c.name, ...addresses, MessageTypes: c.messageTypes, ...source }];
    });
  }

  async setOwnerTypes(accountId: string, types: MessageType[]) {
    // A deletion job decides from the owner's subscriptions; they must not change under it.
    return this.deps.store.transaction(locks.memberDirectory(accountId), async (tx) => {
      const account = await this.requireAccount(tx, accountId);
      await tx.messageCenters.setOwnerTypes(account.id, types);
      return { AccountId: account.id, Owner: { MessageTypes: types } };
    });
  }
}
