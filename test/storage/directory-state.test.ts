import assert from 'node:assert/strict';
import type { AccountRecord, TagRecord } from '../../src/storage/records.js';
import type { PlacedAccount, Tx } from '../../src/storage/store.js';
import type { Backend } from '../helpers/database.js';
import { storeSuite, testDatabase } from '../helpers/store-suite.js';

/**
 * The storage contract of what Terraform manages beside contacts (directory switches, tags,
 * payers, account deletion records, tag-filtered and keyset-paged member lists), against a
 * real SQLite file and a real PostgreSQL database: both must answer alike.
 */

const T0 = 1_700_000_000_000;
const D = 'rd-dir001';
const ROOT = 'r-root01';

const member = (id: string, joinTime: number, folderId = ROOT): AccountRecord => ({
  id,
  directoryId: D,
  folderId,
  accountName: `m${id}@example.com`,
  displayName: `member ${id}`,
  type: 'ResourceAccount',
  joinMethod: 'created',
  joinTime,
  modifyTime: joinTime,
});

const tag = (resourceId: string, key: string, value: string, resourceType: TagRecord['resourceType'] = 'Account'): TagRecord => ({
  directoryId: D,
  resourceType,
  resourceId,
  key,
  value,
});

const none = { folderId: null, keyword: null, tags: null };
const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
const placed = (rows: PlacedAccount[]) => ids(rows.map((r) => r.account));

async function seed(tx: Tx) {
  await tx.directories.insert({ id: D, masterAccountId: '1000000000000001', masterAccountName: 'm@example.com', rootFolderId: ROOT, createTime: T0 });
  await tx.folders.insert({ id: ROOT, directoryId: D, parentId: null, name: 'root', depth: 0, createTime: T0 });
}

function contract(backend: Backend) {
  storeSuite(`directory state on ${backend}`, testDatabase(backend, 'directory state'), ({ it, write, read }) => {
    it('settings: none until put, then replaced, then gone', async () => {
      assert.equal(await read((tx) => tx.directorySettings.get(D)), null);
      const on = { directoryId: D, controlPolicyStatus: 'Enabled', memberDeletionStatus: 'Disabled', memberDisplayNameSyncStatus: 'Enabled' } as const;
      await write((tx) => tx.directorySettings.put(on));
      await write((tx) => tx.directorySettings.put({ ...on, memberDeletionStatus: 'Enabled' }));
      assert.deepEqual(await read((tx) => tx.directorySettings.get(D)), { ...on, memberDeletionStatus: 'Enabled' });
      await write((tx) => tx.directorySettings.delete(D));
      assert.equal(await read((tx) => tx.directorySettings.get(D)), null);
    });

    it('tags: put overwrites, remove by keys or all, pages by resource then key, filters, limits', async () => {
      await write((tx) =>
        tx.tags.put([tag('2', 'b', '1'), tag('1', 'z', 'x'), tag('1', 'a', 'old'), tag('f1', 'a', 'x', 'Folder')]),
      );
      await write((tx) => tx.tags.put([tag('1', 'a', 'new')]));
      const all = await read((tx) => tx.tags.page(D, 'Account', null, null, null, 10));
      assert.deepEqual(all, [tag('1', 'a', 'new'), tag('1', 'z', 'x'), tag('2', 'b', '1')]);
      assert.deepEqual(await read((tx) => tx.tags.page(D, 'Account', null, null, { resourceId: '1', key: 'a' }, 1)), [tag('1', 'z', 'x')]);
      assert.deepEqual(await read((tx) => tx.tags.page(D, 'Account', ['2'], null, null, 10)), [tag('2', 'b', '1')]);
      const filtered = await read((tx) => tx.tags.page(D, 'Account', null, [{ key: 'a', value: null }, { key: 'b', value: '2' }], null, 10));
      assert.deepEqual(filtered, [tag('1', 'a', 'new')]);
      assert.deepEqual(await read((tx) => tx.tags.forResources(D, 'Folder', ['f1', 'nothing'])), [tag('f1', 'a', 'x', 'Folder')]);
      assert.deepEqual(await read((tx) => tx.tags.overLimit(D, 'Account', ['1', '2'], 1)), ['1']);
      await write((tx) => tx.tags.remove(D, 'Account', ['1', '2'], ['z', 'b']));
      assert.deepEqual(await read((tx) => tx.tags.forResources(D, 'Account', ['1', '2'])), [tag('1', 'a', 'new')]);
      await write((tx) => tx.tags.remove(D, 'Account', ['1'], null));
      assert.deepEqual(await read((tx) => tx.tags.forResources(D, 'Account', ['1'])), []);
      assert.equal((await read((tx) => tx.tags.forResources(D, 'Folder', ['f1']))).length, 1, 'another type is untouched');
    });

    it('accounts: tag filters (every condition), keyset pages in join order, existing IDs, delete', async () => {
      await write(async (tx) => {
        for (const [id, at] of [['1000000000000003', T0 + 1], ['1000000000000002', T0 + 1], ['1000000000000001', T0 + 2]] as const) {
          await tx.accounts.insert(member(id, at));
        }
        await tx.tags.put([tag('1000000000000003', 'env', 'prod'), tag('1000000000000003', 'team', 'a'), tag('1000000000000001', 'env', 'prod')]);
      });
      const both = { ...none, tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: null }] };
      assert.deepEqual(ids((await read((tx) => tx.accounts.list(D, both, { offset: 0, limit: 10 }))).items), ['1000000000000003']);
      const env = { ...none, tags: [{ key: 'env', value: 'prod' }] };
      assert.equal(await read((tx) => tx.accounts.count(D, env)), 2);
      // Join order: ...03 and ...02 joined in the same millisecond and list in the order they
      // were written, not by ID.
      assert.deepEqual(ids((await read((tx) => tx.accounts.list(D, none, { offset: 0, limit: 10 }))).items), ['1000000000000003', '1000000000000002', '1000000000000001']);
      const first = await read((tx) => tx.accounts.listAfter(D, none, null, 2));
      assert.deepEqual(placed(first), ['1000000000000003', '1000000000000002']);
      assert.equal(first[1]!.place.joinTime, T0 + 1);
      const rest = await read((tx) => tx.accounts.listAfter(D, none, first[1]!.place, 2));
      assert.deepEqual(placed(rest), ['1000000000000001']);
      const fromFirst = await read((tx) => tx.accounts.listAfter(D, none, first[0]!.place, 5));
      assert.deepEqual(placed(fromFirst), ['1000000000000002', '1000000000000001']);
      // One folder's direct members, in the same order, by the folder's own statements.
      await write(async (tx) => {
        await tx.folders.insert({ id: 'fd-join', directoryId: D, parentId: ROOT, name: 'join', depth: 1, createTime: T0 });
        await tx.accounts.insert(member('1000000000000009', T0 + 1, 'fd-join'));
        await tx.accounts.insert(member('1000000000000008', T0 + 1, 'fd-join'));
      });
      const inFolder = { ...none, folderId: 'fd-join' };
      assert.deepEqual(ids((await read((tx) => tx.accounts.list(D, inFolder, { offset: 0, limit: 10 }))).items), ['1000000000000009', '1000000000000008']);
      assert.equal(await read((tx) => tx.accounts.countInFolder(D, 'fd-join')), 2);
      assert.equal(await read((tx) => tx.accounts.count(D, { ...none, folderId: ROOT })), 3);
    });

    it('accounts: join order survives batches, updates and a deleted token account', async () => {
      const listed = async () => ids((await read((tx) => tx.accounts.list(D, none, { offset: 0, limit: 10 }))).items);
      // A seed batch: one statement, one millisecond; the array's order is the join order.
      await write((tx) => tx.accounts.insertMany(['1000000000000007', '1000000000000003', '1000000000000005'].map((id) => member(id, T0))));
      assert.deepEqual(await listed(), ['1000000000000007', '1000000000000003', '1000000000000005']);
      // A rename or a move rewrites the row, not its place.
      const first = (await read((tx) => tx.accounts.byId('1000000000000007')))!;
      await write((tx) => tx.accounts.update({ ...first, displayName: 'renamed', folderId: ROOT, modifyTime: T0 + 9 }));
      assert.deepEqual(await listed(), ['1000000000000007', '1000000000000003', '1000000000000005']);
      // A token whose account is deleted still points at its place.
      await write((tx) => tx.accounts.insert(member('1000000000000001', T0 + 1)));
      const page = await read((tx) => tx.accounts.listAfter(D, none, null, 2));
      await write((tx) => tx.accounts.delete(page[1]!.account.id));
      assert.deepEqual(placed(await read((tx) => tx.accounts.listAfter(D, none, page[1]!.place, 5))), ['1000000000000005', '1000000000000001']);
      assert.deepEqual((await read((tx) => tx.accounts.existing(D, ['1000000000000001', '1999999999999999']))), ['1000000000000001']);
      await write((tx) => tx.accounts.delete('1000000000000002'));
      assert.equal(await read((tx) => tx.accounts.byId('1000000000000002')), null);
    });

    it('folders: children filtered by tags; rename; existing IDs', async () => {
      await write(async (tx) => {
        await tx.folders.insert({ id: 'fd-a', directoryId: D, parentId: ROOT, name: 'a', depth: 1, createTime: T0 });
        await tx.folders.insert({ id: 'fd-b', directoryId: D, parentId: ROOT, name: 'b', depth: 1, createTime: T0 + 1 });
        await tx.tags.put([tag('fd-b', 'cost', 'c1', 'Folder')]);
        await tx.folders.rename(D, 'fd-a', 'renamed');
      });
      const tagged = await read((tx) => tx.folders.children(D, ROOT, null, [{ key: 'cost', value: 'c1' }], { offset: 0, limit: 10 }));
      assert.deepEqual([tagged.total, ids(tagged.items)], [1, ['fd-b']]);
      assert.equal((await read((tx) => tx.folders.byId(D, 'fd-a')))?.name, 'renamed');
      assert.deepEqual((await read((tx) => tx.folders.existing(D, ['fd-a', 'fd-x']))), ['fd-a']);
    });

    it('payers and deletion records: set, clear, count; records pruned by deletion time', async () => {
      await write(async (tx) => {
        await tx.accounts.insert(member('1000000000000002', T0));
        await tx.accounts.insert(member('1000000000000003', T0));
        await tx.accountPayers.set('1000000000000002', '1000000000000003');
      });
      assert.equal(await read((tx) => tx.accountPayers.get('1000000000000002')), '1000000000000003');
      assert.equal(await read((tx) => tx.accountPayers.countPaidBy('1000000000000003')), 1);
      assert.deepEqual(await read((tx) => tx.accountPayers.forAccounts(['1000000000000002', '1000000000000003'])), new Map([['1000000000000002', '1000000000000003']]));
      await write((tx) => tx.accountPayers.set('1000000000000002', null));
      assert.equal(await read((tx) => tx.accountPayers.get('1000000000000002')), null);
      const old = { accountId: '1000000000000008', directoryId: D, checkedAt: T0, deletedAt: T0 + 5 };
      const recent = { accountId: '1000000000000009', directoryId: D, checkedAt: null, deletedAt: T0 + 50 };
      const checkedOnly = { accountId: '1000000000000002', directoryId: D, checkedAt: T0, deletedAt: null };
      await write(async (tx) => {
        for (const r of [old, recent, checkedOnly]) await tx.accountDeletions.put(r);
      });
      // In batches: the limit holds, and a second batch finds nothing more.
      assert.equal(await write((tx) => tx.retention.pruneAccountDeletions(T0 + 10, 1)), 1);
      assert.equal(await write((tx) => tx.retention.pruneAccountDeletions(T0 + 10, 1)), 0);
      assert.equal(await read((tx) => tx.accountDeletions.byAccount(old.accountId)), null);
      assert.deepEqual(await read((tx) => tx.accountDeletions.byAccount(recent.accountId)), recent);
      assert.deepEqual(await read((tx) => tx.accountDeletions.byAccount(checkedOnly.accountId)), checkedOnly);
    });

    it('a member that leaves: its message center and direct bindings go in one statement each', async () => {
      await write(async (tx) => {
        await tx.accounts.insert(member('1000000000000002', T0));
        await tx.messageCenters.setOwnerTypes('1000000000000002', ['ServiceMessage']);
        await tx.messageCenters.upsertMany([{ accountId: '1000000000000002', contactId: 'c-x', source: 'Inherited', via: [D], retained: null }]);
        await tx.messageCenters.deleteForAccount('1000000000000002');
        await tx.bindings.deleteForMember('1000000000000002');
        await tx.accounts.delete('1000000000000002');
      });
      assert.deepEqual(await read((tx) => tx.messageCenters.forAccount('1000000000000002')), []);
      assert.equal(await read((tx) => tx.messageCenters.ownerTypes('1000000000000002')), null);
    });
  }, seed);
}

contract('sqlite');
contract('postgres');
