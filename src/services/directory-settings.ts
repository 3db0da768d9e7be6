import { errors } from '../domain/errors.js';
import type { DirectoryRecord, DirectorySettingsRecord, Toggle } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { callerDirectory, type ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import { leaveDirectory } from './members.js';
import { applyControlPolicySwitch } from './control-policies.js';

/** A directory that never changed a switch has them all off, as a new real directory does. */
export async function directorySettings(tx: Tx, directoryId: string): Promise<DirectorySettingsRecord> {
  return (
    (await tx.directorySettings.get(directoryId)) ?? {
      directoryId,
      controlPolicyStatus: 'Disabled',
      memberDeletionStatus: 'Disabled',
      memberDisplayNameSyncStatus: 'Disabled',
    }
  );
}

export function parseToggle(value: string): Toggle {
  if (value === 'Enabled' || value === 'Disabled') return value;
  throw errors.invalidStatus();
}

type Switch = 'controlPolicyStatus' | 'memberDeletionStatus' | 'memberDisplayNameSyncStatus';

/** A directory and its switches after one of them changed. */
export interface DirectorySwitches {
  directory: DirectoryRecord;
  settings: DirectorySettingsRecord;
}

/**
 * The directory's switches: control policy, member deletion permission and member display
 * name sync. Each takes effect at once (no lasting `Pending*` state), so a poll that waits for
 * the target value sees it on its first read.
 */
export class DirectorySettingsService {
  constructor(private readonly deps: ServiceDeps) {}

  private async set(callerId: string, which: Switch, value: Toggle): Promise<DirectorySwitches> {
    return this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const before = await directorySettings(tx, directory.id);
      const settings = { ...before, [which]: value };
      await tx.directorySettings.put(settings);
      if (which === 'controlPolicyStatus' && before.controlPolicyStatus !== value) {
        await applyControlPolicySwitch(tx, directory.id, value === 'Enabled', this.deps.clock.now());
      }
      return { directory, settings };
    });
  }

  /** Enable/DisableControlPolicy, with the switch's side effects (applyControlPolicySwitch). */
  async setControlPolicy(callerId: string, value: Toggle): Promise<DirectorySwitches> {
    return this.set(callerId, 'controlPolicyStatus', value);
  }

  /** GetControlPolicyEnablementStatus. */
  async controlPolicyStatus(callerId: string): Promise<DirectorySwitches> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      return { directory, settings: await directorySettings(tx, directory.id) };
    });
  }

  async setMemberDeletion(callerId: string, status: string): Promise<DirectorySwitches> {
    return this.set(callerId, 'memberDeletionStatus', parseToggle(status));
  }

  async setDisplayNameSync(callerId: string, status: string): Promise<DirectorySwitches> {
    return this.set(callerId, 'memberDisplayNameSyncStatus', parseToggle(status));
  }

  /**
   * DestroyResourceDirectory: only an empty directory goes (no member but the management
   * account, no folder but the Root, no message contact, no custom control policy). The management account leaves it
   * by the rule of any member that leaves (`leaveDirectory`), and stays an account of its own.
   */
  async destroy(callerId: string): Promise<void> {
    await this.deps.store.transaction(locks.owners([callerId]), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const noTags = { folderId: null, keyword: null, tags: null };
      if ((await tx.accounts.count(directory.id, noTags)) > 1) throw errors.directoryHasAccounts();
      if ((await tx.folders.countChildren(directory.id, directory.rootFolderId)) > 0) throw errors.directoryHasFolders();
      if ((await tx.contacts.count(directory.id)) > 0) throw errors.directoryHasContacts();
      if ((await tx.controlPolicies.count(directory.id, null)) > 0) throw errors.directoryHasControlPolicies();
      const owner = await tx.accounts.byId(directory.masterAccountId);
      if (owner) {
        await leaveDirectory(tx, directory, owner);
        await tx.accounts.update({ ...owner, directoryId: null, folderId: null, modifyTime: this.deps.clock.now() });
      }
      await tx.tags.remove(directory.id, 'Folder', [directory.rootFolderId], null);
      await tx.controlPolicies.detachAll(directory.id, null);
      await tx.directorySettings.delete(directory.id);
      await tx.folders.delete(directory.id, directory.rootFolderId);
      await tx.directories.delete(directory.id);
    });
  }
}
