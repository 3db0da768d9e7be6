import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../../src/domain/clock.js';
import { randomIds } from '../../src/domain/ids.js';
import { MessageCenterService } from '../../src/services/message-center.js';
import { targetsReaching, type DirectoryView } from '../../src/services/message-center-rules.js';
import type { AccountRecord } from '../../src/storage/records.js';
import { addContact } from '../helpers/contacts.js';
import type { Backend } from '../helpers/database.js';
import { withBuiltStore } from '../helpers/built-store.js';
import { recording } from '../helpers/recording-tx.js';

/**
 * Syncing one account's message center (a member created or moved) reads the account's folder
 * chain, the bindings on it and the contacts they name, not the whole directory: in a directory
 * of many folders and contacts bound elsewhere, none of those are read, and what the account is
 * given is what the whole directory's view gives it.
 */

/** Contact ID -> the targets it reaches the account through, as a view says. */
function reaching(view: DirectoryView, account: AccountRecord): Record<string, string[]> {
  const via: Record<string, string[]> = {};
  for (const target of targetsReaching(view, account)) {
    for (const contactId of view.boundTo.get(target) ?? []) (via[contactId] ??= []).push(target);
  }
  return via;
}

for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  test(`${backend}: syncing one account reads its folder chain and the bindings on it, not the directory`, (t) =>
    withBuiltStore(t, backend, 'the account-sync reads test', async (call) => {
      const folder = async (name: string, parent?: string) => (await call('CreateFolder', { FolderName: name, ParentFolderId: parent })).Folder.FolderId as string;
      const rd = (await call('GetResourceDirectory')).ResourceDirectory;
      const eng = await folder('Eng');
      const backendFolder = await folder('Backend', eng);
      const elsewhere = await Promise.all(Array.from({ length: 12 }, (_, i) => folder(`Other${i}`)));
      const member = (await call('CreateResourceAccount', { DisplayName: 'member', ParentFolderId: backendFolder })).Account.AccountId as string;
      const bind = async (name: string, members: string[]) => {
        const id = await addContact(call, { Name: name });
        await call('AssociateMembers', { ContactId: id, Members: members });
        return id;
      };
      const onDirectory = await bind('whole', [rd.ResourceDirectoryId]);
      const onEng = await bind('eng', [eng, elsewhere[0]!]);
      const onMember = await bind('direct', [member]);
      for (const [i, f] of elsewhere.entries()) await bind(`other${String.fromCharCode(97 + i)}`, [f]);
      return { rd, eng, backendFolder, member, onDirectory, onEng, onMember };
    }, async (store, { rd, eng, backendFolder, member, onDirectory, onEng, onMember }) => {
      const service = new MessageCenterService({ store, clock: systemClock, ids: randomIds });
      const calls: string[] = [];
      const [narrow, whole, account] = await store.read(async (tx) => {
        const directory = (await tx.directories.byId(rd.ResourceDirectoryId))!;
        const account = (await tx.accounts.byId(member))!;
        return [await service.accountView(recording(tx, calls), directory, [account]), await service.view(tx, directory), account] as const;
      });
      for (const everything of ['folders.all', 'contacts.all', 'bindings.forContacts']) {
        assert.ok(!calls.includes(everything), `${everything} read the whole directory: ${calls.join(', ')}`);
      }
      assert.deepEqual([...narrow.folders.keys()].sort(), [rd.RootFolderId, eng, backendFolder].sort());
      assert.deepEqual([...narrow.contacts.keys()].sort(), [onDirectory, onEng, onMember].sort());
      assert.deepEqual(reaching(narrow, account), reaching(whole, account));
      assert.deepEqual(reaching(narrow, account), { [onDirectory]: [rd.ResourceDirectoryId], [onEng]: [eng], [onMember]: [member] });
    }));
}
