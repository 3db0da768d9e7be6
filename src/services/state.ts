import { defaultAccountNamePrefix } from '../domain/account-names.js';
import { checkEmail, checkName, checkPhone } from '../domain/contact-rules.js';
import { ApiError, errors } from '../domain/errors.js';
import { MAX_FOLDER_DEPTH } from '../domain/folder-rules.js';
import { idPatterns, memberKindOf, type MemberKind } from '../domain/ids.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';
import type { AccountRecord, ContactRecord, DirectoryRecord, FolderRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ContactService } from './contacts.js';
import type { ServiceDeps } from './deps.js';
import { locks } from './locks.js';
import type { Room } from './room.js';
import { checkFolderName, type DirectoryService } from './directory.js';
import { directorySettings } from './directory-settings.js';
import { DISPLAY_NAME, requirePayer } from './members.js';
import { tagsToWrite, writeTags } from './tags.js';
import type { AccountEntry, ContactEntry, DirectoryEntry, FolderEntry, StateFile } from './state-file.js';

const EXPORT_BATCH = 1_000;

const invalidState = (message: string) => new ApiError(400, 'InvalidState', message, 'rdmc');

export interface Tenancy {
  /** The accounts whose directories a state holds: those of the configured access keys. */
  tenants: () => string[];
  /** The account whose directory exists from the start (RDMC_BOOTSTRAP); null: none. */
  bootstrapOwner: string | null;
}

export interface Applied {
  Folders: number;
  Accounts: number;
  Contacts: number;
}

/** What names what while one directory of a file is applied: file IDs, folder paths and display names. */
type References = Map<string, { id: string; kind: MemberKind }>;

/** A directory's places left under its folder and member quotas while a file is applied. */
interface Rooms {
  folders: Room;
  members: Room;
}

/** Payers named by the file, set once every account of the directory is known. */
type Payers = Array<{ accountId: string; payer: string }>;

/** A file's tag map as the API's `Tag.N` pairs, checked by the same rules. */
const tagParams = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * Tags of several resources as key-to-value maps; untagged resources are absent. The maps have
 * no prototype, so a key such as `__proto__` is an own property like any other and is written out.
 */
async function tagMaps(tx: Tx, directoryId: string, type: 'Account' | 'Folder', ids: string[]): Promise<Map<string, Record<string, string>>> {
  const maps = new Map<string, Record<string, string>>();
  if (ids.length === 0) return maps;
  for (const t of await tx.tags.forResources(directoryId, type, ids)) {
    const map = maps.get(t.resourceId) ?? (Object.create(null) as Record<string, string>);
    map[t.key] = t.value;
    maps.set(t.resourceId, map);
  }
  return maps;
}

/**
 * Declarative state: the directories of the configured accounts written out as a state
 * file, and a state file laid down on the database. Applying creates what is missing and
 * leaves what exists (matched by ID, folder name under its parent, display name, contact
 * name), so applying the same file twice changes nothing.
 */
export class StateService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly directory: DirectoryService,
    private readonly contacts: ContactService,
    private readonly tenancy: Tenancy,
  ) {}

  private tenants(): string[] {
    return this.tenancy.tenants();
  }

  /** The accounts of the configured keys, and the directory of the first one where the configuration asks for it. */
  async bootstrap(): Promise<void> {
    await this.directory.ensureTenants(this.tenants(), this.tenancy.bootstrapOwner);
  }

  /** Every row wiped, then the bootstrap laid down again. */
  async reset(): Promise<void> {
    await this.deps.store.wipe();
    await this.bootstrap();
  }

  /** Every row wiped and the file laid down; the bootstrap then adds only what the file lacks. */
  async replace(file: StateFile): Promise<Applied> {
    await this.deps.store.wipe();
    try {
      return await this.apply(file);
    } finally {
      await this.bootstrap();
    }
  }

  async export(): Promise<StateFile> {
    return this.deps.store.read(async (tx) => {
      const Directories: DirectoryEntry[] = [];
      for (const accountId of [...new Set(this.tenants())].sort()) {
        const directory = await tx.directories.byMasterAccount(accountId);
        if (directory) Directories.push(await this.exportDirectory(tx, directory));
      }
      return { Directories };
    });
  }

  private async exportDirectory(tx: Tx, directory: DirectoryRecord): Promise<DirectoryEntry> {
    const accountsIn = new Map<string, AccountEntry[]>();
    for (let after = ''; ; ) {
      const batch = await tx.accounts.batchInFolder(directory.id, null, after, EXPORT_BATCH);
      const ids = batch.map((a) => a.id);
      const tags = await tagMaps(tx, directory.id, 'Account', ids);
      const payers = await tx.accountPayers.forAccounts(ids);
      for (const a of batch) {
        if (a.id === directory.masterAccountId) continue;
        const list = accountsIn.get(a.folderId ?? '') ?? [];
        const payer = payers.get(a.id);
        list.push({ AccountId: a.id, DisplayName: a.displayName, AccountName: a.accountName, ...(tags.has(a.id) && { Tags: tags.get(a.id) }), ...(payer && { PayerAccountId: payer }) });
        accountsIn.set(a.folderId ?? '', list);
      }
      if (batch.length < EXPORT_BATCH) break;
      after = batch[batch.length - 1]!.id;
    }
    const byName = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    for (const list of accountsIn.values()) list.sort(byName((a) => a.DisplayName));
    const folders = await tx.folders.all(directory.id);
    const folderTags = await tagMaps(tx, directory.id, 'Folder', folders.map((f) => f.id));
    const children = (parentId: string): FolderEntry[] =>
      folders
        .filter((f) => f.parentId === parentId)
        .sort(byName((f) => f.name))
        .map((f) => {
          const entry: FolderEntry = { FolderId: f.id, FolderName: f.name };
          if (folderTags.has(f.id)) entry.Tags = folderTags.get(f.id);
          const sub = children(f.id);
          if (sub.length) entry.Folders = sub;
          if (accountsIn.has(f.id)) entry.Accounts = accountsIn.get(f.id);
          return entry;
        });
    const contacts = (await tx.contacts.all(directory.id)).filter((c) => !c.deleting).sort(byName((c) => c.name));
    const bindings = await tx.bindings.forContacts(contacts.map((c) => c.id));
    const settings = await tx.directorySettings.get(directory.id);
    return {
      MasterAccountId: directory.masterAccountId,
      ResourceDirectoryId: directory.id,
      RootFolderId: directory.rootFolderId,
      ...(settings && {
        Settings: {
          ControlPolicyStatus: settings.controlPolicyStatus,
          MemberDeletionStatus: settings.memberDeletionStatus,
          MemberAccountDisplayNameSyncStatus: settings.memberDisplayNameSyncStatus,
        },
      }),
      Folders: children(directory.rootFolderId),
      Accounts: accountsIn.get(directory.rootFolderId) ?? [],
      Contacts: contacts.map((c) => ({
        ContactId: c.id,
        Name: c.name,
        Title: c.title,
        MessageTypes: c.messageTypes,
        ...(c.emailEffective !== null && { EmailAddress: c.emailEffective }),
        ...(c.phoneEffective !== null && { PhoneNumber: c.phoneEffective }),
        ...(c.emailPending !== null && { PendingEmailAddress: c.emailPending }),
        ...(c.phonePending !== null && { PendingPhoneNumber: c.phonePending }),
        Members: bindings.filter((b) => b.contactId === c.id).map((b) => b.memberId),
      })),
    };
  }

  /** Lays a state file down, creating what is missing; one transaction, so a refused file leaves nothing behind. */
  async apply(file: StateFile): Promise<Applied> {
    const tenants = new Set(this.tenants());
    for (const d of file.Directories) {
      if (!tenants.has(d.MasterAccountId)) {
        throw invalidState(`MasterAccountId ${d.MasterAccountId} is the account of no configured access key (RDMC_ACCESS_KEYS).`);
      }
    }
    return this.deps.store.transaction(locks.owners(file.Directories.map((d) => d.MasterAccountId)), async (tx) => {
      const applied: Applied = { Folders: 0, Accounts: 0, Contacts: 0 };
      for (const d of file.Directories) await this.applyDirectory(tx, d, applied);
      return applied;
    });
  }

  private async applyDirectory(tx: Tx, d: DirectoryEntry, applied: Applied): Promise<void> {
    if (d.ResourceDirectoryId !== undefined && !idPatterns.directory.test(d.ResourceDirectoryId)) throw invalidState(`ResourceDirectoryId "${d.ResourceDirectoryId}" is not a directory ID (rd- and 6 letters or digits).`);
    if (d.RootFolderId !== undefined && !idPatterns.rootFolder.test(d.RootFolderId)) throw invalidState(`RootFolderId "${d.RootFolderId}" is not a Root folder ID (r- and 6 letters or digits).`);
    const directory =
      (await tx.directories.byMasterAccount(d.MasterAccountId)) ??
      (await this.directory.createDirectory(tx, d.MasterAccountId, { id: d.ResourceDirectoryId, rootFolderId: d.RootFolderId }));
    const root = (await tx.folders.byId(directory.id, directory.rootFolderId))!;
    const refs: References = new Map([
      ['/', { id: root.id, kind: 'folder' }],
      [root.id, { id: root.id, kind: 'folder' }],
      [directory.id, { id: directory.id, kind: 'directory' }],
    ]);
    if (d.RootFolderId) refs.set(d.RootFolderId, { id: root.id, kind: 'folder' });
    if (d.ResourceDirectoryId) refs.set(d.ResourceDirectoryId, { id: directory.id, kind: 'directory' });
    if (d.Settings) {
      const now = await directorySettings(tx, directory.id);
      await tx.directorySettings.put({
        directoryId: directory.id,
        controlPolicyStatus: d.Settings.ControlPolicyStatus ?? now.controlPolicyStatus,
        memberDeletionStatus: d.Settings.MemberDeletionStatus ?? now.memberDeletionStatus,
        memberDisplayNameSyncStatus: d.Settings.MemberAccountDisplayNameSyncStatus ?? now.memberDisplayNameSyncStatus,
      });
    }
    const payers: Payers = [];
    // Accounts and folders the file names that exist already take no place.
    const rooms: Rooms = { folders: await this.directory.folderRoom(tx, directory.id), members: await this.directory.memberRoom(tx, directory) };
    await this.applyAccounts(tx, directory, root, d.Accounts, refs, applied, payers, rooms.members);
    await this.applyFolders(tx, directory, root, '', d.Folders, refs, applied, payers, rooms);
    // Payers last: a payer may be any account of the file, named by ID or display name.
    for (const { accountId, payer } of payers) {
      const known = refs.get(payer);
      await tx.accountPayers.set(accountId, (await requirePayer(tx, directory, known?.kind === 'account' ? known.id : payer)).id);
    }
    for (const c of d.Contacts) await this.applyContact(tx, directory, c, refs, applied);
  }

  private async applyFolders(
    tx: Tx,
    directory: DirectoryRecord,
    parent: FolderRecord,
    path: string,
    entries: FolderEntry[],
    refs: References,
    applied: Applied,
    payers: Payers,
    rooms: Rooms,
  ) {
    for (const e of entries) {
      const name = checkFolderName(e.FolderName);
      let folder = await tx.folders.byParentAndName(directory.id, parent.id, name);
      if (!folder) {
        if (parent.depth >= MAX_FOLDER_DEPTH) throw errors.folderDepthExceeded();
        if (e.FolderId !== undefined && !idPatterns.folder.test(e.FolderId)) throw invalidState(`FolderId "${e.FolderId}" is not a folder ID (fd- and 10 letters or digits).`);
        rooms.folders.take();
        folder = { id: e.FolderId ?? this.deps.ids.folderId(), directoryId: directory.id, parentId: parent.id, name, depth: parent.depth + 1, createTime: this.deps.clock.now() };
        await tx.folders.insert(folder);
        applied.Folders++;
      }
      if (e.Tags) await writeTags(tx, directory.id, 'Folder', [folder.id], tagsToWrite(tagParams(e.Tags)));
      const folderPath = `${path}/${name}`;
      refs.set(folderPath, { id: folder.id, kind: 'folder' });
      if (e.FolderId) refs.set(e.FolderId, { id: folder.id, kind: 'folder' });
      await this.applyAccounts(tx, directory, folder, e.Accounts ?? [], refs, applied, payers, rooms.members);
      await this.applyFolders(tx, directory, folder, folderPath, e.Folders ?? [], refs, applied, payers, rooms);
    }
  }

  private async applyAccounts(
    tx: Tx,
    directory: DirectoryRecord,
    folder: FolderRecord,
    entries: AccountEntry[],
    refs: References,
    applied: Applied,
    payers: Payers,
    room: Room,
  ) {
    for (const e of entries) {
      const displayName = e.DisplayName;
      // Checked before it is looked up: the lookup would carry any text to the store (PostgreSQL
      // refuses NUL). A display name nobody holds is then free: the lookup is the uniqueness check.
      if (!DISPLAY_NAME.test(displayName)) throw errors.invalidDisplayName();
      let account: AccountRecord | null = await tx.accounts.byDisplayName(directory.id, displayName);
      if (!account) {
        const id = e.AccountId ?? this.deps.ids.accountId();
        if (await tx.accounts.byId(id)) throw invalidState(`AccountId ${id} (${displayName}) exists already, under another display name or directory.`);
        room.take();
        account = this.directory.newMember(directory, folder, id, defaultAccountNamePrefix(id), displayName);
        if (e.AccountName !== undefined && CONTROL_CHARACTERS.test(e.AccountName)) throw invalidState(`AccountName of ${displayName} holds a control character.`);
        if (e.AccountName) account.accountName = e.AccountName;
        if (await tx.accounts.byAccountName(account.accountName)) throw errors.accountNamePrefixAlreadyUsed();
        await tx.accounts.insert(account);
        applied.Accounts++;
      }
      if (e.Tags) await writeTags(tx, directory.id, 'Account', [account.id], tagsToWrite(tagParams(e.Tags)));
      if (e.PayerAccountId) payers.push({ accountId: account.id, payer: e.PayerAccountId });
      refs.set(displayName, { id: account.id, kind: 'account' });
      if (e.AccountId) refs.set(e.AccountId, { id: account.id, kind: 'account' });
    }
  }

  private async applyContact(tx: Tx, directory: DirectoryRecord, e: ContactEntry, refs: References, applied: Applied) {
    const name = checkName(e.Name);
    if (await tx.contacts.byName(directory.id, name)) return;
    if (e.ContactId !== undefined && !idPatterns.contact.test(e.ContactId)) throw invalidState(`ContactId "${e.ContactId}" is not a contact ID (c- and 16 letters or digits).`);
    const members = [...new Set(e.Members)].map((ref) => {
      const known = refs.get(ref);
      if (known) return known;
      const kind = memberKindOf(ref);
      if (!kind) throw invalidState(`Members of contact ${name}: "${ref}" names no folder, account or directory.`);
      return { id: ref, kind };
    });
    const contact: ContactRecord = {
      id: e.ContactId ?? this.deps.ids.contactId(),
      directoryId: directory.id,
      name,
      title: e.Title,
      messageTypes: [...new Set(e.MessageTypes)],
      emailEffective: e.EmailAddress === undefined ? null : checkEmail(e.EmailAddress),
      phoneEffective: e.PhoneNumber === undefined ? null : checkPhone(e.PhoneNumber),
      emailPending: e.PendingEmailAddress === undefined ? null : checkEmail(e.PendingEmailAddress),
      phonePending: e.PendingPhoneNumber === undefined ? null : checkPhone(e.PendingPhoneNumber),
      deleting: false,
      createTime: this.deps.clock.now(),
    };
    await this.contacts.restore(tx, directory, contact, members);
    applied.Contacts++;
  }
}
