import { ownErrors } from '../domain/errors.js';
import type { ConfiguredIdentity } from '../domain/identity.js';
import type { AccountRecord, ContactRecord, DeletionRecord, DirectoryRecord, JobRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { folderName, namesOf, type Named } from './console-names.js';
import { folderPath, foldersUpToRoot } from './folder-chain.js';
import { contactView } from './contact-view.js';
import type { ServiceDeps } from './deps.js';
import type { MessageCenterService } from './message-center.js';
import type { Tenancy } from './state.js';

/** Message centers shown per contact: a page, not the whole of 100,000. */
export const OVERVIEW_REACH = 200;
/** Jobs the console's jobs page shows: the newest. */
export const OVERVIEW_JOBS = 200;
/** Contacts per page of a directory (the contact quota allows up to 10,000). */
export const CONTACTS_PAGE = 100;
/** Subfolders per page of a folder, and the first ones shown inside each of them. */
export const TREE_FOLDERS = 50;
export const TREE_PREVIEW = 20;
/** A folder's members are counted no further: past it the console says "1,000+". */
export const COUNT_CAP = 1000;
/** Accounts per page: the default, and the most a page may ask for. */
export const ACCOUNTS_PAGE = 50;
export const MAX_ACCOUNTS_PAGE = 100;
/** Copies of one message shown (one per recipient address). */
export const MESSAGE_COPIES = 200;

/** A contact as an operator needs it: the domain's view plus what is verified and what waits for a link. */
export function contactOverview(c: ContactRecord, members: Parameters<typeof contactView>[1]) {
  return {
    ...contactView(c, members),
    verifiedEmailAddress: c.emailEffective ?? '',
    verifiedPhoneNumber: c.phoneEffective ?? '',
    pendingEmailAddress: c.emailPending ?? '',
    pendingPhoneNumber: c.phonePending ?? '',
  };
}

/** Fail reasons shown per contact: a deletion can fail at many accounts. */
export const FAIL_REASONS_SHOWN = 50;
const shownReasons = (d: DeletionRecord | undefined | null) => d?.failReasons.slice(0, FAIL_REASONS_SHOWN) ?? [];

/** What GetMessageContactDeletionStatus answers (the first FAIL_REASONS_SHOWN reasons), with the failed accounts' names. */
const deletionOverview = (d: DeletionRecord | undefined | null, names: Map<string, Named>) =>
  d && {
    Status: d.status,
    FailReasonCount: d.failReasons.length,
    FailReasonList: shownReasons(d).map((r) => ({ ...r, Account: names.get(r.AccountId)! })),
  };

/** A page of accounts: `Next` is where the next one starts (null on the last). */
export interface AccountPage {
  /** `Folder`: where each account is, in a search (a folder's page needs none). */
  Accounts: Array<{ AccountId: string; DisplayName: string; Folder?: Named }>;
  Next: string | null;
}

/** How the console's account search reads: display names or account IDs that start with the text. */
export interface AccountSearch {
  text: string;
  by: 'name' | 'id';
  after: string | null;
  pageSize: number;
}


/**
 * The operator's read (the web console), one directory at a time and in bounded pages: no
 * page reads every account of a directory. Folders come a page of children at a time with
 * their members counted up to COUNT_CAP; accounts come a keyset page at a time, by ID within
 * a folder or by a prefix of the display name or ID; every ID shown comes with its name.
 */
export class OverviewService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tenancy: Pick<Tenancy, 'tenants' | 'identities'>,
    private readonly messageCenters: MessageCenterService,
  ) {}

  private tenants(): string[] {
    return this.tenancy.tenants();
  }

  /** Who the configured keys are, without their secrets: the console's Identities page. */
  identities(): ConfiguredIdentity[] {
    return this.tenancy.identities();
  }

  /** The directories of the configured accounts, by management account: the console's switcher. */
  async directories() {
    return this.deps.store.read(async (tx) => {
      const result = [];
      for (const accountId of [...new Set(this.tenants())].sort()) {
        const directory = await tx.directories.byMasterAccount(accountId);
        if (directory) result.push({ ResourceDirectoryId: directory.id, MasterAccountId: directory.masterAccountId, MasterAccountName: directory.masterAccountName });
      }
      return result;
    });
  }

  /** A configured account's directory, or 404: the console shows no other. */
  private async directory(tx: Tx, directoryId: string): Promise<DirectoryRecord> {
    const directory = await tx.directories.byId(directoryId);
    if (!directory || !this.tenants().includes(directory.masterAccountId)) throw ownErrors.notFound('resource directory');
    return directory;
  }

  /** One directory: its size, a page of its contacts (with deletion states and names) and its Root's tree. */
  async directorySummary(directoryId: string, contactsFrom: number, foldersAfter: string) {
    return this.deps.store.read(async (tx) => {
      const directory = await this.directory(tx, directoryId);
      const { total, items: contacts } = await tx.contacts.list(directory.id, null, { offset: contactsFrom, limit: CONTACTS_PAGE });
      const bindings = await tx.bindings.forContacts(contacts.map((c) => c.id));
      const deletions = new Map((await tx.deletions.forContacts(contacts.map((c) => c.id))).map((d) => [d.contactId, d]));
      const names = await namesOf(tx, directory, [
        ...bindings.map((b) => b.memberId),
        ...[...deletions.values()].flatMap((d) => shownReasons(d).map((r) => r.AccountId)),
      ]);
      return {
        ResourceDirectoryId: directory.id,
        MasterAccountId: directory.masterAccountId,
        MasterAccountName: directory.masterAccountName,
        RootFolderId: directory.rootFolderId,
        AccountCount: await tx.accounts.countMembers(directory.id, ''),
        ContactCount: total,
        ContactsFrom: contactsFrom,
        Contacts: contacts.map((c) => ({
          ...contactOverview(c, bindings.filter((b) => b.contactId === c.id)),
          Deletion: deletionOverview(deletions.get(c.id), names),
        })),
        Names: names,
        Tree: await this.tree(tx, directory.id, directory.rootFolderId, foldersAfter),
      };
    });
  }

  /**
   * A page of a folder's subfolders by name (TREE_FOLDERS after `after`), each with its
   * members counted up to COUNT_CAP and its first TREE_PREVIEW subfolders: three statements.
   */
  private async tree(tx: Tx, directoryId: string, folderId: string, after: string) {
    const page = await tx.folders.childrenByName(directoryId, [folderId], after, TREE_FOLDERS + 1);
    const shown = page.slice(0, TREE_FOLDERS).map((c) => c.folder);
    const grandchildren = await tx.folders.childrenByName(directoryId, shown.map((f) => f.id), '', TREE_PREVIEW);
    const counts = await tx.accounts.countInFolders(directoryId, [folderId, ...shown.map((f) => f.id)], COUNT_CAP + 1);
    return {
      FolderId: folderId,
      Accounts: counts.get(folderId) ?? 0,
      After: after,
      Folders: shown.map((f) => {
        const children = grandchildren.filter((g) => g.folder.parentId === f.id);
        return {
          FolderId: f.id,
          Name: f.name,
          Accounts: counts.get(f.id) ?? 0,
          Subfolders: children[0]?.siblings ?? 0,
          Preview: children.map((g) => ({ FolderId: g.folder.id, Name: g.folder.name })),
        };
      }),
      Remaining: page.length > TREE_FOLDERS ? page[0]!.siblings - TREE_FOLDERS : 0,
      Next: page.length > TREE_FOLDERS ? shown.at(-1)!.name : null,
    };
  }

  /** One folder: its path, a page of its subfolders, a page of its members by ID, and the contacts bound to it. */
  async folder(directoryId: string, folderId: string, foldersAfter: string, accountsAfter: string | null, pageSize: number) {
    return this.deps.store.read(async (tx) => {
      const directory = await this.directory(tx, directoryId);
      const folders = await foldersUpToRoot(tx, directory.id, [folderId]);
      if (!folders.has(folderId)) throw ownErrors.notFound('folder');
      const members = await tx.accounts.batchInFolder(directory.id, folderId, accountsAfter ?? '', pageSize + 1);
      const bound = await tx.bindings.forMembers([folderId]);
      const contacts = bound.length ? (await tx.contacts.list(directory.id, bound.map((b) => b.contactId), { offset: 0, limit: bound.length })).items : [];
      return {
        ResourceDirectoryId: directory.id,
        MasterAccountId: directory.masterAccountId,
        Path: folderPath(folders, folderId).map((f) => ({ FolderId: f.id, Name: folderName(f) })),
        Tree: await this.tree(tx, directory.id, folderId, foldersAfter),
        Accounts: this.page(members, pageSize, (a) => a.id),
        Contacts: contacts.map((c) => ({ ContactId: c.id, Name: c.name })),
      };
    });
  }

  /** Accounts of the directory whose display name, or ID, starts with the text: a keyset page. */
  async searchAccounts(directoryId: string, q: AccountSearch): Promise<AccountPage & { ResourceDirectoryId: string; MasterAccountId: string }> {
    return this.deps.store.read(async (tx) => {
      const directory = await this.directory(tx, directoryId);
      const found =
        q.by === 'name'
          ? await tx.accounts.byNamePrefix(directory.id, q.text, q.after, q.pageSize + 1)
          : // Account IDs are 16 digits: those starting with the text follow it in ID order, and end at the first that does not.
            (await tx.accounts.batchInFolder(directory.id, null, q.after ?? q.text, q.pageSize + 1)).filter((a) => a.id.startsWith(q.text));
      const names = await namesOf(tx, directory, found.map((a) => a.folderId!));
      return {
        ResourceDirectoryId: directory.id,
        MasterAccountId: directory.masterAccountId,
        // A name page continues after its last name, an ID page after its last ID.
        ...this.page(found, q.pageSize, (a) => (q.by === 'name' ? a.displayName : a.id), names),
      };
    });
  }

  /** The first `pageSize` of `found` (read one longer, to know whether a page follows), continued after `key` of the last. */
  private page(found: AccountRecord[], pageSize: number, key: (a: AccountRecord) => string, names?: Map<string, Named>): AccountPage {
    const shown = found.slice(0, pageSize);
    return {
      Accounts: shown.map((a) => ({ AccountId: a.id, DisplayName: a.displayName, Folder: names?.get(a.folderId!) })),
      Next: found.length > pageSize ? key(shown.at(-1)!) : null,
    };
  }

  /** One contact of any configured directory, with its deletion state and the accounts whose message centers hold it; null when unknown. */
  async contact(contactId: string) {
    return this.deps.store.read(async (tx) => {
      for (const accountId of new Set(this.tenants())) {
        const directory = await tx.directories.byMasterAccount(accountId);
        const contact = directory && (await tx.contacts.byId(directory.id, contactId));
        if (!directory || !contact) continue;
        const entries = await tx.messageCenters.batchForContact(contact.id, '', OVERVIEW_REACH);
        const bindings = await tx.bindings.forContact(contact.id);
        const deletion = await tx.deletions.byContact(contact.id);
        const names = await namesOf(tx, directory, [
          ...bindings.map((b) => b.memberId),
          ...entries.flatMap((e) => [e.accountId, ...e.via]),
          ...shownReasons(deletion).map((r) => r.AccountId),
        ]);
        return {
          ResourceDirectoryId: directory.id,
          MasterAccountId: directory.masterAccountId,
          Contact: contactOverview(contact, bindings),
          Deletion: deletionOverview(deletion, names),
          MessageCenters: entries.map((e) => ({ AccountId: e.accountId, Source: e.source, Via: e.via })),
          Names: names,
        };
      }
      return null;
    });
  }

  /** One account: its name, directory and folder path, and its message center with every `Via` named. */
  async account(accountId: string) {
    return this.deps.store.read(async (tx) => {
      const account = await tx.accounts.byId(accountId);
      const directory = account?.directoryId ? await tx.directories.byId(account.directoryId) : null;
      if (!account || !directory || !this.tenants().includes(directory.masterAccountId)) throw ownErrors.notFound('account');
      const center = await this.messageCenters.recipients(tx, account);
      const names = await namesOf(tx, directory, [account.folderId!, ...center.flatMap((c) => c.Via)]);
      const folders = await foldersUpToRoot(tx, directory.id, [account.folderId!]);
      return {
        ResourceDirectoryId: directory.id,
        MasterAccountId: directory.masterAccountId,
        AccountId: account.id,
        DisplayName: account.displayName,
        AccountName: account.accountName,
        Folder: names.get(account.folderId!)!,
        Path: folderPath(folders, account.folderId!).map((f) => ({ FolderId: f.id, Name: folderName(f) })),
        Owner: { MessageTypes: await this.messageCenters.ownerTypesOf(tx, account.id) },
        Contacts: center,
        Names: names,
      };
    });
  }

  /** Every copy of one message (one per recipient address), in recording order: its deliveries. */
  async message(messageId: string) {
    const copies = await this.deps.store.read((tx) => tx.outbox.byMessageId(messageId, MESSAGE_COPIES));
    if (copies.length === 0) throw ownErrors.notFound('message');
    return copies;
  }

  /** The newest `limit` jobs, newest first: the table can hold far more than a page. */
  async jobs(limit: number) {
    const jobs = await this.deps.store.read((tx) => tx.jobs.list(limit));
    return jobs.map(jobView);
  }
}

/** A job as the admin API and the console show it; `Redrives`, `PriorAttempts` and `FailedAt` are its retry history. */
export const jobView = (j: JobRecord) => ({
  JobId: j.id,
  Kind: j.kind,
  ContactId: j.contactId,
  DeliveryId: j.outboxId,
  State: j.state,
  Held: j.held,
  Attempts: j.attempts,
  PriorAttempts: j.priorAttempts,
  Redrives: j.redrives,
  RunAt: new Date(j.runAt).toISOString(),
  FailedAt: j.failedAt === null ? null : new Date(j.failedAt).toISOString(),
  LockedBy: j.lockedBy,
  LastError: j.lastError,
  Payload: j.payload,
});
