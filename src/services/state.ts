import { defaultAccountNamePrefix } from '../domain/account-names.js';
import { errors } from '../domain/errors.js';
import type { ConfiguredIdentity } from '../domain/identity.js';
import { childFolderDepth } from '../domain/folder-rules.js';
import { memberKindOf, type MemberKind } from '../domain/ids.js';
import type { AccountRecord, ContactRecord, ControlPolicyRecord, DirectoryRecord, FolderRecord, TagRecord } from '../storage/records.js';
import { CONTROL_POLICY_LIMITS, checkControlPolicyDocument, checkPolicyDescription, checkPolicyName } from '../domain/control-policy-rules.js';
import type { IdKind, Tx } from '../storage/store.js';
import type { ContactService } from './contacts.js';
import { delegate, type DelegationOptions } from './delegations.js';
import type { ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import { checkFolderName, type BootstrapDirectory, type DirectoryService } from './directory.js';
import type { Room } from './room.js';
import { applyControlPolicySwitch } from './control-policies.js';
import { directorySettings } from './directory-settings.js';
import { requirePayer } from './members.js';
import { checkStateFile, invalidState, tagParams } from './state-check.js';
import { stateJson } from './state-export.js';
import { checkTagsPerResource, tagsToWrite, writeTags } from './tags.js';
import type { AccountEntry, ContactEntry, ControlPolicyEntry, DirectoryEntry, FolderEntry, StateFile } from './state-file.js';

export interface Tenancy {
  /** The accounts whose directories a state holds: those of the configured access keys. */
  tenants: () => string[];
  /** Who the configured keys are, without their secrets: a state export lists them, an import ignores them. */
  identities: () => ConfiguredIdentity[];
  /** The directory that exists from the start (RDMC_BOOTSTRAP) and after every reset; null: none. */
  bootstrap: BootstrapDirectory | null;
}

export interface Applied {
  Folders: number;
  Accounts: number;
  Contacts: number;
}

/** What names what while one directory of a file is applied: file IDs, folder paths and display names. */
type References = Map<string, { id: string; kind: MemberKind }>;

/** Payers named by the file, set once every account of the directory is known. */
type Payers = Array<{ accountId: string; payer: string }>;
/** Delegations named by the file, registered once every account of the directory is written. */
type Delegations = Array<{ accountId: string; principal: string }>;

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
    private readonly tenancy: Tenancy & DelegationOptions,
  ) {}

  private tenants(): string[] {
    return this.tenancy.tenants();
  }

  /** The accounts of the configured keys, and the directory of the first one where the configuration asks for it. */
  async bootstrap(): Promise<void> {
    await this.deps.store.transaction(locks.accounts(this.tenants()), (tx) => this.layTenantsDown(tx));
  }

  private layTenantsDown(tx: Tx): Promise<void> {
    return this.directory.ensureTenants(tx, this.tenants(), this.tenancy.bootstrap);
  }

  /** Every row wiped and the bootstrap laid down again, in one transaction: nobody sees the database empty. */
  async reset(): Promise<void> {
    await this.deps.store.transaction(locks.owners(this.tenants()), async (tx) => {
      await tx.state.wipe();
      await this.layTenantsDown(tx);
    });
  }

  /**
   * Every row replaced by the file's, the bootstrap then adding only what the file lacks. The
   * file is checked whole first; the wipe, the file and the bootstrap are one transaction, so
   * a refused file changes nothing and other requests never see the database empty (they see
   * the old state until the commit, then the new one).
   */
  async replace(file: StateFile): Promise<Applied> {
    await checkStateFile(file, this.tenants());
    const owners = [...new Set([...this.tenants(), ...file.Directories.map((d) => d.MasterAccountId)])];
    return this.deps.store.transaction(locks.owners(owners), async (tx) => {
      await tx.state.wipe();
      const applied = await this.layDown(tx, file, true);
      await this.layTenantsDown(tx);
      return applied;
    });
  }

  /**
   * The state file of the tenants' directories as JSON text, handed to `consume` a page at a
   * time (`stateJson`), all read from one snapshot that holds no other request up.
   */
  exportJson<T>(consume: (chunks: AsyncIterable<string>) => Promise<T>): Promise<T> {
    return this.deps.store.snapshot((tx) => consume(stateJson(tx, this.tenants(), this.tenancy.identities())));
  }

  /**
   * Lays a state file down, creating what is missing. The file is checked whole first
   * (`checkStateFile`, yielding as it goes), then written in one transaction that checks what
   * depends on the database before its first write: a refused file leaves nothing behind.
   */
  async apply(file: StateFile): Promise<Applied> {
    await checkStateFile(file, this.tenants());
    return this.deps.store.transaction(locks.owners(file.Directories.map((d) => d.MasterAccountId)), (tx) => this.layDown(tx, file, false));
  }

  private async layDown(tx: Tx, file: StateFile, fresh: boolean): Promise<Applied> {
    const applied: Applied = { Folders: 0, Accounts: 0, Contacts: 0 };
    for (const d of file.Directories) await this.layDirectory(tx, d, applied, fresh);
    return applied;
  }

  /** `fresh`: the database was wiped in this transaction, so nothing but the file's own rows can hold an ID. */
  private async layDirectory(tx: Tx, d: DirectoryEntry, applied: Applied, fresh: boolean): Promise<void> {
    let directory = fresh ? null : await tx.directories.byMasterAccount(d.MasterAccountId);
    const existed = directory !== null;
    if (!directory) {
      if (!fresh) {
        await refuseTaken(tx, 'directory', d.ResourceDirectoryId ? [d.ResourceDirectoryId] : [], (id) => `ResourceDirectoryId ${id}`);
        await refuseTaken(tx, 'folder', d.RootFolderId ? [d.RootFolderId] : [], (id) => `RootFolderId ${id}`);
      }
      directory = await this.directory.createDirectory(tx, d.MasterAccountId, { id: d.ResourceDirectoryId, rootFolderId: d.RootFolderId });
    }
    const known = existed ? await readDirectory(tx, directory) : await newDirectoryView(tx, directory);
    // Accounts and folders the file names that exist already take no place.
    const plan = new Plan(directory, known, await this.directory.memberRoom(tx, directory));
    if (d.RootFolderId) plan.refs.set(d.RootFolderId, { id: directory.rootFolderId, kind: 'folder' });
    if (d.ResourceDirectoryId) plan.refs.set(d.ResourceDirectoryId, { id: directory.id, kind: 'directory' });

    // Everything the file asks for, decided in memory.
    const room = await this.directory.folderRoom(tx, directory.id);
    // The Root's accounts first, then each folder's, depth first: accounts join in the file's order.
    this.planAccounts(plan, known.root, d.Accounts);
    const planFolders = (parent: FolderRecord, path: string, entries: FolderEntry[]) => {
      for (const entry of entries) {
        const folder = this.planFolder(plan, parent, entry, room);
        const folderPath = `${path}/${folder.name}`;
        plan.refs.set(folderPath, { id: folder.id, kind: 'folder' });
        if (entry.FolderId) plan.refs.set(entry.FolderId, { id: folder.id, kind: 'folder' });
        this.planAccounts(plan, folder, entry.Accounts ?? []);
        // At most five levels deep: the nesting was checked before the schema ran.
        planFolders(folder, folderPath, entry.Folders ?? []);
      }
    };
    planFolders(known.root, '', d.Folders);
    const contacts = d.Contacts.filter((c) => !known.contactNames.has(c.Name));

    // What the database holds elsewhere, in a few statements per thousand rows.
    if (!fresh) {
      await refuseTaken(tx, 'folder', plan.folders.map((f) => f.id), (id) => `FolderId ${id}`);
      await refuseTaken(tx, 'account', plan.accounts.map((a) => a.id), (id) => `AccountId ${id}`);
      await refuseTaken(tx, 'contact', contacts.flatMap((c) => (c.ContactId ? [c.ContactId] : [])), (id) => `ContactId ${id}`);
      for (const names of chunks(plan.accounts.map((a) => a.accountName))) {
        if ((await tx.state.accountNamesInUse(names)).length > 0) throw errors.accountNamePrefixAlreadyUsed();
      }
    }

    // Then the writes.
    for (const folder of plan.folders) await tx.folders.insert(folder);
    for (const batch of chunks(plan.accounts)) await tx.accounts.insertMany(batch);
    await joinInvited(tx, plan.joining);
    applied.Folders += plan.folders.length;
    applied.Accounts += plan.accounts.length + plan.joining.length;
    for (const type of ['Folder', 'Account'] as const) {
      const tagged = plan.tags.filter((t) => t.resourceType === type);
      for (const batch of chunks(tagged)) await tx.tags.put(batch);
      // A resource that existed may now carry its old tags and the file's.
      for (const ids of chunks([...new Set(tagged.map((t) => t.resourceId).filter((id) => plan.existing.has(id)))])) {
        await checkTagsPerResource(tx, directory.id, type, ids);
      }
    }
    if (d.Settings) {
      const now = await directorySettings(tx, directory.id);
      await tx.directorySettings.put({
        directoryId: directory.id,
        controlPolicyStatus: d.Settings.ControlPolicyStatus ?? now.controlPolicyStatus,
        memberDeletionStatus: d.Settings.MemberDeletionStatus ?? now.memberDeletionStatus,
        memberDisplayNameSyncStatus: d.Settings.MemberAccountDisplayNameSyncStatus ?? now.memberDisplayNameSyncStatus,
      });
    }
    // The control-policy switch as the file leaves it, with its side effects: enabled, every
    // folder and member (those the file added too) has the system policy; disabled, nothing is
    // attached. One idempotent statement either way.
    const enabled = (await directorySettings(tx, directory.id)).controlPolicyStatus === 'Enabled';
    await applyControlPolicySwitch(tx, directory.id, enabled, this.deps.clock.now());
    await this.applyControlPolicies(tx, directory, d.ControlPolicies, plan.refs, enabled, fresh);
    // Payers last: a payer may be any account of the file, named by ID or display name.
    for (const { accountId, payer } of plan.payers) {
      const known = plan.refs.get(payer);
      await tx.accountPayers.set(accountId, (await requirePayer(tx, directory, known?.kind === 'account' ? known.id : payer)).id);
    }
    // A delegation the directory holds already stays as it is (applying a file twice changes nothing).
    for (const { accountId, principal } of plan.delegations) await delegate(tx, directory, accountId, principal, this.tenancy.trustedServices, this.deps.clock.now());
    for (const c of contacts) await this.applyContact(tx, directory, c, plan.refs, applied);
  }

  /**
   * The file's custom control policies: those whose name the directory has already are left as
   * they are (their targets are added); the others are made, under the policy quota, and
   * attached where the file says, which needs the switch enabled. The rules are the API's.
   */
  private async applyControlPolicies(tx: Tx, directory: DirectoryRecord, entries: ControlPolicyEntry[], refs: References, enabled: boolean, fresh: boolean) {
    if (entries.length === 0) return;
    const now = this.deps.clock.now();
    const byName = new Map((await tx.controlPolicies.page(directory.id, null, { offset: 0, limit: CONTROL_POLICY_LIMITS.perDirectory })).map((p) => [p.name, p]));
    const made: ControlPolicyRecord[] = [];
    const wanted: Array<{ policy: ControlPolicyRecord; entry: ControlPolicyEntry }> = [];
    for (const e of entries) {
      const name = checkPolicyName(e.PolicyName, 'PolicyName');
      let policy = byName.get(name);
      if (!policy) {
        const description = checkPolicyDescription(e.Description ?? '', 'Description');
        const document = checkControlPolicyDocument(e.PolicyDocument, 'PolicyDocument');
        policy = { id: e.PolicyId ?? this.deps.ids.controlPolicyId(), directoryId: directory.id, name, description, effectScope: 'RAM', document, createTime: now, updateTime: now };
        byName.set(name, policy);
        made.push(policy);
      }
      wanted.push({ policy, entry: e });
    }
    if (byName.size > CONTROL_POLICY_LIMITS.perDirectory) throw errors.controlPolicyQuotaExceeded();
    if (new Set(made.map((p) => p.id)).size < made.length) throw invalidState('ControlPolicies: a PolicyId appears twice in the directory.');
    if (!fresh) await refuseTaken(tx, 'controlPolicy', made.map((p) => p.id), (id) => `PolicyId ${id}`);
    for (const policy of made) await tx.controlPolicies.insert(policy);

    // Targets: references as a contact's Members take them, each a folder or member of the directory.
    const targetOf = (ref: string) => refs.get(ref) ?? { id: ref, kind: memberKindOf(ref) };
    const named = wanted.flatMap(({ entry }) => entry.Targets.map(targetOf));
    if (named.length > 0 && !enabled) throw invalidState('ControlPolicies name Targets, but control policies are not enabled: set Settings.ControlPolicyStatus to Enabled.');
    const folders = new Set(await tx.folders.existing(directory.id, named.filter((t) => t.kind === 'folder').map((t) => t.id)));
    const accounts = new Set(await tx.accounts.existing(directory.id, named.filter((t) => t.kind === 'account').map((t) => t.id)));
    for (const t of named) if (!folders.has(t.id) && !accounts.has(t.id)) throw invalidState(`ControlPolicies: target ${t.id} is no folder or member of the directory.`);
    for (const { policy, entry } of wanted) {
      if (entry.Tags) await writeTags(tx, directory.id, 'ControlPolicy', [policy.id], tagsToWrite(tagParams(entry.Tags)));
      const targets = [...new Set(entry.Targets.map((ref) => targetOf(ref).id))].map((id) => ({ id, type: id === directory.rootFolderId ? ('Root' as const) : folders.has(id) ? ('Folder' as const) : ('Account' as const) }));
      await tx.controlPolicies.attachMany(directory.id, policy.id, targets, now);
    }
    for (const ids of chunks([...new Set(named.map((t) => t.id))])) {
      if ((await tx.controlPolicies.overAttached(directory.id, ids, CONTROL_POLICY_LIMITS.customPerTarget)).length > 0) throw errors.controlPolicyAttachmentLimit();
    }
  }

  private planFolder(plan: Plan, parent: FolderRecord, e: FolderEntry, room: Room): FolderRecord {
    const name = checkFolderName(e.FolderName);
    let folder = plan.known.folders.get(folderKey(parent.id, name));
    if (folder) plan.existing.add(folder.id);
    else {
      const depth = childFolderDepth(parent.depth);
      room.take();
      folder = { id: e.FolderId ?? this.deps.ids.folderId(), directoryId: plan.directory.id, parentId: parent.id, name, depth, createTime: this.deps.clock.now() };
      plan.folders.push(folder);
    }
    if (e.Tags) plan.tag('Folder', folder.id, e.Tags);
    return folder;
  }

  private planAccounts(plan: Plan, folder: FolderRecord, entries: AccountEntry[]) {
    for (const e of entries) {
      let id = plan.known.accountsByDisplayName.get(e.DisplayName);
      if (id !== undefined) plan.existing.add(id);
      else {
        id = e.AccountId ?? this.deps.ids.accountId();
        if (plan.known.accountIds.has(id)) throw invalidState(`AccountId ${id} (${e.DisplayName}) is another account of this directory, under another display name.`);
        plan.members.take();
        const account = this.directory.newMember(plan.directory, folder, id, defaultAccountNamePrefix(id), e.DisplayName);
        if (e.AccountName) account.accountName = e.AccountName;
        if (plan.accountNames.has(account.accountName)) throw errors.accountNamePrefixAlreadyUsed();
        plan.accountNames.add(account.accountName);
        if (e.JoinMethod === 'invited') {
          // As an accepted invitation leaves it (docs/reference/invitations.md); a tenant keeps its own name.
          if (!e.AccountName) account.accountName = `${id}@aliyun.com`;
          plan.joining.push({ ...account, type: 'CloudAccount', joinMethod: 'invited' });
        } else plan.accounts.push(account);
      }
      if (e.Tags) plan.tag('Account', id, e.Tags);
      if (e.PayerAccountId) plan.payers.push({ accountId: id, payer: e.PayerAccountId });
      for (const principal of new Set(e.DelegatedServices ?? [])) plan.delegations.push({ accountId: id, principal });
      plan.refs.set(e.DisplayName, { id, kind: 'account' });
      if (e.AccountId) plan.refs.set(e.AccountId, { id, kind: 'account' });
    }
  }

  private async applyContact(tx: Tx, directory: DirectoryRecord, e: ContactEntry, refs: References, applied: Applied) {
    const members = [...new Set(e.Members)].map((ref) => refs.get(ref) ?? { id: ref, kind: memberKindOf(ref)! });
    const contact: ContactRecord = {
      id: e.ContactId ?? this.deps.ids.contactId(),
      directoryId: directory.id,
      name: e.Name,
      title: e.Title,
      messageTypes: [...new Set(e.MessageTypes)],
      emailEffective: e.EmailAddress ?? null,
      phoneEffective: e.PhoneNumber ?? null,
      emailPending: e.PendingEmailAddress ?? null,
      phonePending: e.PendingPhoneNumber ?? null,
      deleting: false,
      createTime: this.deps.clock.now(),
    };
    await this.contacts.restore(tx, directory, contact, members);
    applied.Contacts++;
  }
}

/**
 * Members that joined by invitation: each is an account that exists standalone (a configured
 * key's account, laid down at every start) or not at all, never one of another directory. One
 * read each: a directory's invited members are few (the invitation rates bound them).
 */
async function joinInvited(tx: Tx, joining: AccountRecord[]): Promise<void> {
  for (const account of joining) {
    const held = await tx.accounts.byId(account.id);
    if (held?.directoryId != null) {
      throw invalidState(`AccountId ${account.id} (${account.displayName}) belongs to another directory: only a standalone account joins by invitation.`);
    }
    if (held) await tx.accounts.update(account);
    else await tx.accounts.insert(account);
  }
}

/** Rows per statement when a plan is checked against the database or written to it. */
const ROWS_PER_STATEMENT = 1_000;

function* chunks<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += ROWS_PER_STATEMENT) yield items.slice(i, i + ROWS_PER_STATEMENT);
}

/**
 * Refuses IDs an object of the same kind holds already, anywhere in the database. The
 * answer does not say where: the author of one tenant's file learns nothing of another's.
 */
async function refuseTaken(tx: Tx, kind: IdKind, ids: string[], what: (id: string) => string): Promise<void> {
  for (const batch of chunks(ids)) {
    const [taken] = await tx.state.idsInUse(kind, batch);
    if (taken !== undefined) throw invalidState(`${what(taken)} is taken: choose another, or leave it out and rdmc makes one.`);
  }
}

const folderKey = (parentId: string, name: string) => `${parentId}/${name}`;

/** What a directory holds before a file is laid down on it, as the file matches it: by display name, by folder name under its parent, by contact name. */
interface DirectoryView {
  root: FolderRecord;
  accountsByDisplayName: Map<string, string>;
  accountIds: Set<string>;
  folders: Map<string, FolderRecord>;
  contactNames: Set<string>;
}

async function newDirectoryView(tx: Tx, directory: DirectoryRecord): Promise<DirectoryView> {
  const root = (await tx.folders.byId(directory.id, directory.rootFolderId))!;
  const master = (await tx.accounts.byId(directory.masterAccountId))!;
  return { root, accountsByDisplayName: new Map([[master.displayName, master.id]]), accountIds: new Set([master.id]), folders: new Map(), contactNames: new Set() };
}

/** One read per thousand accounts, then the folders and contacts (both bounded by their quotas). */
async function readDirectory(tx: Tx, directory: DirectoryRecord): Promise<DirectoryView> {
  const folders = await tx.folders.all(directory.id);
  const view: DirectoryView = {
    root: folders.find((f) => f.id === directory.rootFolderId)!,
    accountsByDisplayName: new Map(),
    accountIds: new Set(),
    folders: new Map(folders.filter((f) => f.parentId !== null).map((f) => [folderKey(f.parentId!, f.name), f])),
    contactNames: new Set((await tx.contacts.all(directory.id)).map((c) => c.name)),
  };
  for (let after = ''; ; ) {
    const batch = await tx.accounts.batchInFolder(directory.id, null, after, ROWS_PER_STATEMENT);
    for (const a of batch) {
      view.accountsByDisplayName.set(a.displayName, a.id);
      view.accountIds.add(a.id);
    }
    if (batch.length < ROWS_PER_STATEMENT) break;
    after = batch[batch.length - 1]!.id;
  }
  return view;
}

/** What laying one directory of a file down will write, decided before anything is. */
class Plan {
  readonly folders: FolderRecord[] = [];
  readonly accounts: AccountRecord[] = [];
  /** Accounts that joined by invitation: standalone accounts, updated (or written, on a wiped database) as members. */
  readonly joining: AccountRecord[] = [];
  readonly accountNames = new Set<string>();
  readonly tags: TagRecord[] = [];
  readonly payers: Payers = [];
  readonly delegations: Delegations = [];
  /** Folders and accounts the file names that the directory held already. */
  readonly existing = new Set<string>();
  readonly refs: References;

  constructor(
    readonly directory: DirectoryRecord,
    readonly known: DirectoryView,
    /** The directory's places left under its member quota. */
    readonly members: Room,
  ) {
    this.refs = new Map([
      ['/', { id: known.root.id, kind: 'folder' }],
      [known.root.id, { id: known.root.id, kind: 'folder' }],
      [directory.id, { id: directory.id, kind: 'directory' }],
    ]);
  }

  tag(resourceType: 'Account' | 'Folder', resourceId: string, tags: Record<string, string>) {
    for (const { key, value } of tagsToWrite(tagParams(tags))) this.tags.push({ directoryId: this.directory.id, resourceType, resourceId, key, value });
  }
}
