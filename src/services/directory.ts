import { setImmediate } from 'node:timers/promises';
import { defaultAccountNamePrefix } from '../domain/account-names.js';
import { errors, ownErrors } from '../domain/errors.js';
import { childFolderDepth } from '../domain/folder-rules.js';
import { idPatterns } from '../domain/ids.js';
import type { TagParam } from '../domain/tag-rules.js';
import type { AccountRecord, DirectoryRecord, DirectorySettingsRecord, FolderRecord } from '../storage/records.js';
import type { AccountCursor, AccountFilter, AccountMatch, IdKind, Tx } from '../storage/store.js';
import { callerDirectory, toPage, type PageRequest, type ServiceDeps } from './deps.js';
import { directorySettings } from './directory-settings.js';
import { attachSystemPolicyToNewTargets, dropTargetAttachments } from './control-policies.js';
import type { FanOutService } from './fan-out.js';
import { folderPath, foldersUpToRoot } from './folder-chain.js';
import { locks } from '../storage/locks.js';
import { Room } from './room.js';
import { DISPLAY_NAME, checkDisplayName, requireMember, requirePayer } from './members.js';
import type { MessageCenterService } from './message-center.js';
import { targetsReaching } from './message-center-rules.js';
import { tagConditions, tagsToWrite, writeTags, type TagService, type TagView } from './tags.js';
import type { TenantLanes } from './tenant-lanes.js';

/** Accounts per seeding transaction. */
const SEED_BATCH = 5_000;
// "Letters" in the documents means English letters; the Chinese pages add Chinese
// characters (汉字). Other scripts' letters and digits (é, Ж, ２) are not accepted.
const FOLDER_NAME = /^[A-Za-z0-9\p{Script=Han}_.-]+$/u;
const ACCOUNT_NAME_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,35}[A-Za-z0-9])$/;

/** The directory the first key's account owns from the start (RDMC_BOOTSTRAP), with the IDs pinned for it, if any. */
export interface BootstrapDirectory {
  owner: string;
  directoryId?: string;
  rootFolderId?: string;
}

/**
 * A pinned bootstrap ID that another directory holds (a state file gave it one) is refused
 * rather than replaced by a new one: a test that relies on the pin would otherwise break
 * far from the cause.
 */
async function refusePinnedTaken(tx: Tx, kind: IdKind, id: string | undefined, setting: string): Promise<void> {
  if (id === undefined) return;
  const [taken] = await tx.state.idsInUse(kind, [id]);
  if (taken !== undefined) throw ownErrors.invalidState(`${id} is pinned to the bootstrap directory (${setting}) and another directory holds it.`);
}

/** A tenant's own account name, `<ID>@aliyun.com`, or the first `<ID>-N@aliyun.com` no account holds. */
async function freeTenantName(tx: Tx, id: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${id}@aliyun.com` : `${id}-${n}@aliyun.com`;
    if (!(await tx.accounts.byAccountName(name))) return name;
  }
}

export const isFolderId = (id: string) => idPatterns.folder.test(id) || idPatterns.rootFolder.test(id);

export function checkFolderName(name: string | undefined, missing: () => Error = errors.missingFolderName): string {
  if (!name) throw missing();
  if ([...name].length > 24) throw errors.invalidFolderNameLength();
  if (!FOLDER_NAME.test(name)) throw errors.invalidFolderName();
  return name;
}

/** The keyset position of ListAccounts' token paging: the place of the last account returned, opaque to callers. */
const encodeCursor = (place: AccountCursor) => Buffer.from(JSON.stringify([place.joinTime, place.seq])).toString('base64url');

function decodeCursor(token: string): AccountCursor {
  try {
    const [joinTime, seq] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(joinTime) && Number.isSafeInteger(seq)) return { joinTime: joinTime as number, seq: seq as number };
  } catch {
    // falls through to the documented error
  }
  throw errors.invalidParameter('NextToken');
}

const RESELL_TYPES = new Set(['resell', 'non_resell']);

export interface ListAccountsRequest extends PageRequest {
  QueryKeyword?: string;
  ParentFolderId?: string;
  IncludeTags: boolean;
  Tag?: TagParam[];
  MaxResults?: number;
  NextToken?: string;
}

/** A directory with its switches (GetResourceDirectory). */
export interface DirectoryView extends DirectoryRecord {
  settings: DirectorySettingsRecord;
}

/** A folder with the path from the directory down to it (GetFolder). */
export interface FolderDetail extends FolderRecord {
  /** The directory ID, then the folder IDs from the Root down to this one, joined by `/`. */
  path: string;
}

/** A member account with its tags and, where the list shows it, its path (GetAccount, list items). */
export interface AccountView extends AccountRecord {
  tags: TagView[];
  /** The directory ID, the folder IDs from the Root down, then the account ID, joined by `/`. */
  path?: string;
}

/** A page asked by number (`PageNumber`/`PageSize`) or by token (`MaxResults`). */
export type Paging = { pageNumber: number; pageSize: number } | { maxResults: number };

export interface FolderPage {
  paging: { pageNumber: number; pageSize: number };
  total: number;
  folders: Array<FolderRecord & { tags: TagView[] }>;
}

export interface AccountPage {
  paging: Paging;
  total: number;
  accounts: AccountView[];
  /** Where the next page starts; undefined on the last page. */
  nextToken?: string;
}

export interface DirectoryServiceOptions {
  /** Folders per directory, the Root not counted (RDMC_FOLDER_QUOTA). */
  folderQuota: number;
  /** Member accounts per directory, the management account not counted (RDMC_ACCOUNT_QUOTA). */
  accountQuota: number;
}

/**
 * The resource directory's structure: the directory itself, folders nested at most five
 * levels below the Root, and member accounts (docs/reference/model.md section 1).
 */
export class DirectoryService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly messageCenters: MessageCenterService,
    private readonly tags: TagService,
    private readonly fanOut: FanOutService,
    /** Turns for one tenant's list requests, shared with ListTagResources. */
    private readonly lists: TenantLanes,
    private readonly options: DirectoryServiceOptions,
  ) {}

  /**
   * Makes sure each key's account exists; the first one owns a directory when bootstrapping.
   * Nodes starting together on one database take turns (the caller holds the accounts' lock),
   * so the first creates and the rest find. It runs at every start, so nothing a database
   * holds may make it fail: a tenant's name held by a member account (which rdmc no longer
   * accepts from a state file) gets the tenant the next free `<ID>-N@aliyun.com`, and an
   * owner whose account is a member of another directory is not given a directory of its own
   * (creating one would take the account out of the other directory).
   */
  async ensureTenants(tx: Tx, accountIds: string[], bootstrap: BootstrapDirectory | null): Promise<void> {
    for (const id of accountIds) {
      if (!(await tx.accounts.byId(id))) await tx.accounts.insert({ ...this.tenantAccount(id), accountName: await freeTenantName(tx, id) });
    }
    if (bootstrap && !(await tx.directories.byMasterAccount(bootstrap.owner))) {
      const owner = await tx.accounts.byId(bootstrap.owner);
      if (owner?.directoryId != null) return;
      await refusePinnedTaken(tx, 'directory', bootstrap.directoryId, 'RDMC_BOOTSTRAP_DIRECTORY_ID');
      await refusePinnedTaken(tx, 'folder', bootstrap.rootFolderId, 'RDMC_BOOTSTRAP_ROOT_FOLDER_ID');
      await this.createDirectory(tx, bootstrap.owner, { id: bootstrap.directoryId, rootFolderId: bootstrap.rootFolderId });
    }
  }

  private tenantAccount(id: string): AccountRecord {
    const now = this.deps.clock.now();
    return {
      id,
      directoryId: null,
      folderId: null,
      accountName: `${id}@aliyun.com`,
      displayName: `account-${id}`,
      type: 'CloudAccount',
      joinMethod: 'invited',
      joinTime: now,
      modifyTime: now,
    };
  }

  /** A new directory owned by `accountId`, with the IDs given (a restored state's) or new ones. */
  async createDirectory(tx: Tx, accountId: string, given: { id?: string; rootFolderId?: string } = {}): Promise<DirectoryRecord> {
    const now = this.deps.clock.now();
    const account = (await tx.accounts.byId(accountId)) ?? this.tenantAccount(accountId);
    const directory: DirectoryRecord = {
      id: given.id ?? this.deps.ids.directoryId(),
      masterAccountId: accountId,
      masterAccountName: account.accountName,
      rootFolderId: given.rootFolderId ?? this.deps.ids.rootFolderId(),
      createTime: now,
    };
    await tx.directories.insert(directory);
    await tx.folders.insert({ id: directory.rootFolderId, directoryId: directory.id, parentId: null, name: 'root', depth: 0, createTime: now });
    // The management account is itself a member of its directory, in the Root folder.
    const member = { ...account, directoryId: directory.id, folderId: directory.rootFolderId, joinTime: now, modifyTime: now };
    if (await tx.accounts.byId(accountId)) await tx.accounts.update(member);
    else await tx.accounts.insert(member);
    return directory;
  }

  /** EnableResourceDirectory (2022-04-19) and InitResourceDirectory (2020-03-31): the caller's own account manages the new directory. */
  async enable(accountId: string, enableMode: string, dryRun = false): Promise<DirectoryRecord> {
    if (enableMode !== 'CurrentAccount') throw errors.enableModeUnsupported();
    return this.deps.store.transaction(locks.accounts([accountId]), async (tx) => {
      if (await tx.directories.byMasterAccount(accountId)) throw errors.resourceDirectoryAlreadyExists();
      // A member (through an STS session of its access role, or its own key) cannot leave its directory by making one.
      if ((await tx.accounts.byId(accountId))?.directoryId != null) throw errors.accountInAnotherDirectory();
      const directory = await this.createDirectory(tx, accountId);
      // A dry run fails after every check, so the transaction rolls back what it wrote.
      if (dryRun) throw errors.dryRunOperation();
      return directory;
    });
  }

  /**
   * GetResourceDirectory: the directory the caller manages or, for a member account (a session
   * of its access role, say), the directory it belongs to, as Alibaba documents for members.
   */
  async get(accountId: string): Promise<DirectoryView> {
    return this.deps.store.read(async (tx) => {
      const directory = (await tx.directories.byMasterAccount(accountId)) ?? (await this.memberOf(tx, accountId));
      if (!directory) throw errors.resourceDirectoryNotInUse();
      return { ...directory, settings: await directorySettings(tx, directory.id) };
    });
  }

  private async memberOf(tx: Tx, accountId: string): Promise<DirectoryRecord | null> {
    const directoryId = (await tx.accounts.byId(accountId))?.directoryId;
    return directoryId ? tx.directories.byId(directoryId) : null;
  }

  /** The folder chain from the Root down to `folder` itself. */
  private async folderChain(tx: Tx, folder: FolderRecord): Promise<FolderRecord[]> {
    return folderPath(await foldersUpToRoot(tx, folder.directoryId, [folder.id]), folder.id);
  }

  private async requireFolder(tx: Tx, directory: DirectoryRecord, id: string, invalid = errors.invalidFolderId): Promise<FolderRecord> {
    if (!isFolderId(id)) throw invalid();
    const folder = await tx.folders.byId(directory.id, id);
    if (!folder) throw errors.folderNotExists();
    return folder;
  }

  private async parentOrRoot(tx: Tx, directory: DirectoryRecord, parentId: string | undefined, invalid: () => Error) {
    return this.requireFolder(tx, directory, parentId || directory.rootFolderId, invalid as typeof errors.invalidFolderId);
  }

  private async path(tx: Tx, directory: DirectoryRecord, folder: FolderRecord): Promise<string> {
    return [directory.id, ...(await this.folderChain(tx, folder)).map((f) => f.id)].join('/');
  }

  /**
   * The folder quota of a directory. Every change to bindings reads all of a directory's
   * folders (MessageCenterService.view), so the quota bounds that cost for every tenant.
   * Callers hold the directory's lock.
   */
  async folderRoom(tx: Tx, directoryId: string): Promise<Room> {
    return new Room(this.options.folderQuota - (await tx.folders.count(directoryId)), errors.folderQuotaExceeded);
  }

  /**
   * The member-account quota of a directory: what one tenant's directory may cost the
   * database and every list, fan-out and export all tenants wait on. Callers hold the
   * directory's lock. The count is one row the store keeps, whatever the directory's size.
   */
  async memberRoom(tx: Tx, directory: DirectoryRecord): Promise<Room> {
    const members = await tx.accounts.countMembers(directory.id, directory.masterAccountId);
    return new Room(this.options.accountQuota - members, errors.accountQuotaExceeded);
  }

  async createFolder(accountId: string, p: { FolderName?: string; ParentFolderId?: string; Tag?: TagParam[] }): Promise<FolderRecord> {
    const name = checkFolderName(p.FolderName);
    const tags = tagsToWrite(p.Tag ?? []);
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const parent = await this.parentOrRoot(tx, directory, p.ParentFolderId, errors.invalidParentFolderId);
      const depth = childFolderDepth(parent.depth);
      if (await tx.folders.byParentAndName(directory.id, parent.id, name)) throw errors.folderNameAlreadyUsed();
      (await this.folderRoom(tx, directory.id)).take();
      const folder: FolderRecord = {
        id: this.deps.ids.folderId(),
        directoryId: directory.id,
        parentId: parent.id,
        name,
        depth,
        createTime: this.deps.clock.now(),
      };
      await tx.folders.insert(folder);
      await writeTags(tx, directory.id, 'Folder', [folder.id], tags);
      await attachSystemPolicyToNewTargets(tx, directory.id, [{ id: folder.id, type: 'Folder' }], folder.createTime);
      return folder;
    });
  }

  /** UpdateFolder: a new name, unique among the folder's siblings; the Root keeps its name. */
  async updateFolder(accountId: string, p: { FolderId: string; NewFolderName: string }): Promise<FolderRecord> {
    const name = checkFolderName(p.NewFolderName, () => errors.missingParameter('NewFolderName'));
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const folder = await this.requireFolder(tx, directory, p.FolderId);
      if (!folder.parentId) throw errors.rootFolderRename();
      const holder = await tx.folders.byParentAndName(directory.id, folder.parentId, name);
      if (holder && holder.id !== folder.id) throw errors.folderNameAlreadyUsed();
      await tx.folders.rename(directory.id, folder.id, name);
      return { ...folder, name };
    });
  }

  async getFolder(accountId: string, folderId: string): Promise<FolderDetail> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const folder = await this.requireFolder(tx, directory, folderId);
      return { ...folder, path: await this.path(tx, directory, folder) };
    });
  }

  async listFoldersForParent(
    accountId: string,
    p: PageRequest & { ParentFolderId?: string; QueryKeyword?: string; Tag?: TagParam[] },
  ): Promise<FolderPage> {
    const conditions = tagConditions(p.Tag);
    return this.lists.run(accountId, () =>
      this.deps.store.read(async (tx) => {
        const directory = await callerDirectory(tx, accountId);
        const parent = await this.parentOrRoot(tx, directory, p.ParentFolderId, errors.invalidParentFolderId);
        const { total, items } =
          conditions === 'none'
            ? { total: 0, items: [] }
            : await tx.folders.children(directory.id, parent.id, p.QueryKeyword || null, conditions, toPage(p));
        const tags = await this.tags.viewsFor(tx, directory.id, 'Folder', items.map((f) => f.id));
        const folders = items.map((f) => ({ ...f, tags: tags.get(f.id) ?? [] }));
        return { paging: { pageNumber: p.PageNumber, pageSize: p.PageSize }, total, folders };
      }),
    );
  }

  async deleteFolder(accountId: string, folderId: string): Promise<void> {
    await this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const folder = await this.requireFolder(tx, directory, folderId);
      if (!folder.parentId) throw errors.rootFolderUndeletable();
      if ((await tx.folders.countChildren(directory.id, folder.id)) > 0) throw errors.folderHasSubFolders();
      if ((await tx.accounts.countInFolder(directory.id, folder.id)) > 0) throw errors.folderHasAccounts();
      await tx.tags.remove(directory.id, 'Folder', [folder.id], null);
      await dropTargetAttachments(tx, directory.id, [folder.id]);
      await tx.folders.delete(directory.id, folder.id);
    });
  }

  /**
   * CreateResourceAccount. `Tags.N.*` is what Terraform sends for the model's `Tag.N.*`: both
   * tag the new account (Terraform tags it again with TagResources right after).
   */
  async createResourceAccount(
    accountId: string,
    p: {
      DisplayName: string;
      AccountNamePrefix?: string;
      ParentFolderId?: string;
      PayerAccountId?: string;
      ResellAccountType?: string;
      Tag?: TagParam[];
      Tags?: TagParam[];
      DryRun: boolean;
    },
  ): Promise<AccountRecord> {
    if (!DISPLAY_NAME.test(p.DisplayName)) throw errors.invalidDisplayName();
    if (p.AccountNamePrefix !== undefined && !ACCOUNT_NAME_PREFIX.test(p.AccountNamePrefix)) throw errors.invalidAccountNamePrefix();
    if (p.ResellAccountType !== undefined && !RESELL_TYPES.has(p.ResellAccountType)) throw errors.invalidParameter('ResellAccountType');
    const tags = [...tagsToWrite(p.Tags ?? [], 'Tags'), ...tagsToWrite(p.Tag ?? [])];
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const folder = await this.parentOrRoot(tx, directory, p.ParentFolderId, errors.invalidParentFolderId);
      await checkDisplayName(tx, directory.id, p.DisplayName, null);
      const payer = p.PayerAccountId === undefined ? null : await requirePayer(tx, directory, p.PayerAccountId);
      (await this.memberRoom(tx, directory)).take();
      const id = this.deps.ids.accountId();
      const account = this.newMember(directory, folder, id, p.AccountNamePrefix ?? defaultAccountNamePrefix(id), p.DisplayName);
      if (await tx.accounts.byAccountName(account.accountName)) throw errors.accountNamePrefixAlreadyUsed();
      await tx.accounts.insert(account);
      if (payer) await tx.accountPayers.set(account.id, payer.id);
      await writeTags(tx, directory.id, 'Account', [account.id], tags);
      await attachSystemPolicyToNewTargets(tx, directory.id, [{ id: account.id, type: 'Account' }], account.joinTime);
      // A new member gets at once what its folder's bindings give.
      await this.messageCenters.syncAccount(tx, directory, account);
      if (p.DryRun) throw errors.dryRunOperation();
      return account;
    });
  }

  /**
   * Emulator seeding (admin API): `count` member accounts in one folder, each with its
   * message center synced, so large directories can be set up in seconds. The accounts go
   * in batches of `SEED_BATCH`, one transaction each, yielding to waiting requests between
   * batches: a seed of 100,000 holds no request up for long and one batch in memory (the
   * IDs it answers with aside). A seed cut short by a crash keeps the batches it committed.
   */
  async seedAccounts(callerId: string, p: { ParentFolderId?: string; Count: number; DisplayNamePrefix: string }) {
    const accountIds: string[] = [];
    let folderId = '';
    while (accountIds.length < p.Count) {
      if (accountIds.length > 0) await setImmediate();
      // Every batch but the last commits without waiting for the disk; the last one's commit
      // flushes them all, before the answer says the seed is done.
      const last = p.Count - accountIds.length <= SEED_BATCH;
      await this.deps.store[last ? 'transaction' : 'batch'](locks.callerDirectory(callerId), async (tx) => {
        const directory = await callerDirectory(tx, callerId);
        const folder = await this.parentOrRoot(tx, directory, p.ParentFolderId, errors.invalidParentFolderId);
        // Each batch makes room for all the seed has left to write: a seed that cannot fit
        // writes nothing, and creations between its batches cannot take it past the quota.
        (await this.memberRoom(tx, directory)).take(p.Count - accountIds.length);
        const batch = Array.from({ length: Math.min(SEED_BATCH, p.Count - accountIds.length) }, () => {
          const id = this.deps.ids.accountId();
          return this.newMember(directory, folder, id, `seed${id}`, `${p.DisplayNamePrefix}-${id}`);
        });
        await tx.accounts.insertMany(batch);
        await attachSystemPolicyToNewTargets(tx, directory.id, batch.map((a) => ({ id: a.id, type: 'Account' as const })), this.deps.clock.now());
        await this.messageCenters.sync(tx, await this.messageCenters.accountView(tx, directory, batch), batch);
        folderId = folder.id;
        accountIds.push(...batch.map((a) => a.id));
      });
    }
    return { FolderId: folderId, AccountIds: accountIds };
  }

  /** A resource account created in `folder`; its name is `<prefix>@<rd id, lower case>.aliyunid.com`. */
  newMember(directory: DirectoryRecord, folder: FolderRecord, id: string, prefix: string, displayName: string): AccountRecord {
    const now = this.deps.clock.now();
    return {
      id,
      directoryId: directory.id,
      folderId: folder.id,
      accountName: `${prefix}@${directory.id.toLowerCase()}.aliyunid.com`,
      displayName,
      type: 'ResourceAccount',
      joinMethod: 'created',
      joinTime: now,
      modifyTime: now,
    };
  }

  /** `ResourceDirectoryPath` of several members at once: RD, folders from the Root down, account. */
  private async accountPaths(tx: Tx, directory: DirectoryRecord, accounts: AccountRecord[]): Promise<Map<string, string>> {
    const known = await foldersUpToRoot(tx, directory.id, accounts.flatMap((a) => (a.folderId ? [a.folderId] : [])));
    return new Map(accounts.map((a) => {
      const folders = a.folderId ? folderPath(known, a.folderId).map((f) => f.id) : [];
      return [a.id, [directory.id, ...folders, a.id].join('/')];
    }));
  }

  async getAccount(callerId: string, accountId: string, includeTags: boolean): Promise<AccountView> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const account = await requireMember(tx, directory, accountId);
      const tags = includeTags ? (await this.tags.viewsFor(tx, directory.id, 'Account', [account.id])).get(account.id)! : [];
      return { ...account, tags, path: (await this.accountPaths(tx, directory, [account])).get(account.id)! };
    });
  }

  /**
   * ListAccounts and ListAccountsForParent. Pages by PageNumber/PageSize, or, when MaxResults
   * is given, by NextToken (keyset on the join order; no NextToken on the last page).
   */
  async listAccounts(callerId: string, p: ListAccountsRequest, byParent: boolean): Promise<AccountPage> {
    const conditions = tagConditions(p.Tag);
    const after = p.NextToken ? decodeCursor(p.NextToken) : null;
    return this.lists.run(callerId, () =>
      this.deps.store.read(async (tx) => {
        const directory = await callerDirectory(tx, callerId);
        const folder = byParent ? await this.parentOrRoot(tx, directory, p.ParentFolderId, errors.invalidParentFolderId) : null;
        const match: AccountMatch = { keyword: p.QueryKeyword || null, tags: conditions === 'none' ? null : conditions };
        const filter: AccountFilter = { ...match, folderId: folder?.id ?? null };
        let total = 0;
        let items: AccountRecord[] = [];
        let nextToken: string | undefined;
        // Token paging is ListAccounts' alone (ListAccountsForParent takes no MaxResults), over the whole directory.
        if (conditions !== 'none' && p.MaxResults !== undefined && !byParent) {
          total = await tx.accounts.count(directory.id, filter);
          const placed = await tx.accounts.listAfter(directory.id, match, after, p.MaxResults + 1);
          const shown = placed.slice(0, p.MaxResults);
          items = shown.map((a) => a.account);
          if (placed.length > p.MaxResults) nextToken = encodeCursor(shown[shown.length - 1]!.place);
        } else if (conditions !== 'none') {
          ({ total, items } = await tx.accounts.list(directory.id, filter, toPage(p)));
        }
        const tags = p.IncludeTags ? await this.tags.viewsFor(tx, directory.id, 'Account', items.map((a) => a.id)) : new Map();
        // ListAccountsForParent items carry no path (docs/reference/api-notes.md section 6); ListAccounts
        // reads every path of the page at once.
        const paths = byParent ? null : await this.accountPaths(tx, directory, items);
        const accounts = items.map((a) => ({ ...a, tags: tags.get(a.id) ?? [], path: paths?.get(a.id) }));
        const paging: Paging = p.MaxResults === undefined ? { pageNumber: p.PageNumber, pageSize: p.PageSize } : { maxResults: p.MaxResults };
        return { paging, total, accounts, nextToken };
      }),
    );
  }

  async moveAccount(callerId: string, accountId: string, destinationFolderId: string): Promise<void> {
    await this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const account = await requireMember(tx, directory, accountId);
      const destination = await this.requireFolder(tx, directory, destinationFolderId, errors.invalidDestinationFolderId);
      if (account.folderId === destination.id) return;
      const moved = { ...account, folderId: destination.id, modifyTime: this.deps.clock.now() };
      // The chains above both places: where the member was (for the unbind check) and where it goes.
      const view = await this.messageCenters.accountView(tx, directory, [account, moved]);
      // While an unbind fans out over a folder above the member, moving it could strand or
      // resurrect copies: the user guide forbids the move until the unbind is done.
      const reaching = new Set(targetsReaching(view, account));
      if (await this.fanOut.unbindPending(tx, directory.id, reaching)) throw errors.associateConflict();
      await tx.accounts.update(moved);
      // It loses what came only through the old folder and gains what the new one gives.
      await this.messageCenters.sync(tx, view, [moved]);
    });
  }

  /** The folders above `childId`, from the Root down. */
  async listAncestors(callerId: string, childId: string): Promise<FolderRecord[]> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const folder = await this.requireFolder(tx, directory, childId, errors.invalidChildId);
      return (await this.folderChain(tx, folder)).slice(0, -1);
    });
  }
}
