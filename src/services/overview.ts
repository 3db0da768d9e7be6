import type { AccountRecord, ContactRecord, FolderRecord } from '../storage/records.js';
import { contactView } from './contact-view.js';
import type { ServiceDeps } from './deps.js';

/** Accounts shown per directory and message centers per contact: a page, not the whole of 100,000. */
export const OVERVIEW_ACCOUNTS = 500;
export const OVERVIEW_REACH = 200;
/** Jobs the console's jobs page shows: the newest. */
export const OVERVIEW_JOBS = 200;

export interface FolderNode {
  FolderId: string;
  FolderName: string;
  Folders: FolderNode[];
  Accounts: Array<{ AccountId: string; DisplayName: string }>;
}

/** A contact as an operator needs it: the API's view plus what is verified and what waits for a link. */
export function contactOverview(c: ContactRecord, members: Parameters<typeof contactView>[1]) {
  return {
    ...contactView(c, members),
    VerifiedEmailAddress: c.emailEffective ?? '',
    VerifiedPhoneNumber: c.phoneEffective ?? '',
    PendingEmailAddress: c.emailPending ?? '',
    PendingPhoneNumber: c.phonePending ?? '',
  };
}

/**
 * The operator's read of everything (the web console): the directories of the configured
 * accounts with their folder trees, accounts and contacts, one contact with the message
 * centers it reaches, and the newest jobs.
 */
export class OverviewService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly tenants: () => string[],
  ) {}

  async directories() {
    return this.deps.store.read(async (tx) => {
      const result = [];
      for (const accountId of [...new Set(this.tenants())].sort()) {
        const directory = await tx.directories.byMasterAccount(accountId);
        if (!directory) continue;
        const folders = await tx.folders.all(directory.id);
        // The first accounts to join, as ListAccounts' first page would show them.
        const everyAccount = { folderId: null, keyword: null, tags: null };
        const { total, items: accounts } = await tx.accounts.list(directory.id, everyAccount, { offset: 0, limit: OVERVIEW_ACCOUNTS });
        const contacts = await tx.contacts.all(directory.id);
        const bindings = await tx.bindings.forContacts(contacts.map((c) => c.id));
        result.push({
          ResourceDirectoryId: directory.id,
          MasterAccountId: directory.masterAccountId,
          AccountCount: total,
          Root: folderTree(folders, accounts, directory.rootFolderId),
          Contacts: contacts.map((c) => contactOverview(c, bindings.filter((b) => b.contactId === c.id))),
        });
      }
      return result;
    });
  }

  /** One contact of any configured directory, with the accounts whose message centers hold it; null when unknown. */
  async contact(contactId: string) {
    return this.deps.store.read(async (tx) => {
      for (const accountId of new Set(this.tenants())) {
        const directory = await tx.directories.byMasterAccount(accountId);
        const contact = directory && (await tx.contacts.byId(directory.id, contactId));
        if (!directory || !contact) continue;
        const entries = await tx.messageCenters.batchForContact(contact.id, '', OVERVIEW_REACH);
        return {
          ResourceDirectoryId: directory.id,
          Contact: contactOverview(contact, await tx.bindings.forContact(contact.id)),
          MessageCenters: entries.map((e) => ({ AccountId: e.accountId, Source: e.source, Via: e.via })),
        };
      }
      return null;
    });
  }

  /** The newest `limit` jobs, newest first: the table can hold far more than a page. */
  async jobs(limit: number) {
    const jobs = await this.deps.store.read((tx) => tx.jobs.list(limit));
    return jobs.map((j) => ({
      JobId: j.id,
      Kind: j.kind,
      ContactId: j.contactId,
      State: j.state,
      Held: j.held,
      Attempts: j.attempts,
      RunAt: new Date(j.runAt).toISOString(),
      LockedBy: j.lockedBy,
      LastError: j.lastError,
      Payload: j.payload,
    }));
  }
}

function folderTree(folders: FolderRecord[], accounts: AccountRecord[], rootId: string): FolderNode {
  const byParent = new Map<string, FolderRecord[]>();
  for (const f of folders) if (f.parentId) byParent.set(f.parentId, [...(byParent.get(f.parentId) ?? []), f]);
  const node = (f: FolderRecord): FolderNode => ({
    FolderId: f.id,
    FolderName: f.name,
    Folders: (byParent.get(f.id) ?? []).sort((a, b) => a.name.localeCompare(b.name)).map(node),
    Accounts: accounts
      .filter((a) => a.folderId === f.id)
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((a) => ({ AccountId: a.id, DisplayName: a.displayName })),
  });
  return node(folders.find((f) => f.id === rootId)!);
}
