import assert from 'node:assert/strict';
import type { AccountRecord, ContactRecord, DirectoryRecord, FolderRecord, MessageCenterEntry, OutboxRecord } from '../../src/storage/records.js';
import type { NewJob, Tx, WriteLock } from '../../src/storage/store.js';
import { storeSuite, type MakeDatabase } from '../helpers/store-suite.js';
import { AuditScope, withinAudit } from '../../src/audit/scope.js';
import type { AuditEntry } from '../../src/audit/entry.js';

/**
 * The storage contract, method by method: whatever a service can observe through a store,
 * and the rules a store must write in its own SQL (what is claimable, what pending means,
 * retaining copies, keyword matching, what a wipe empties and keeps). Each test starts from a wiped store;
 * nonces outlive a wipe, so each test uses nonces of its own.
 */

// Far above 2^31, so a BIGINT that came back as a string or was truncated shows at once.
const T0 = 1_700_000_000_000;

const directory = (n: number): DirectoryRecord => ({
  id: `rd-dir00${n}`,
  masterAccountId: `100000000000000${n}`,
  masterAccountName: `master${n}@example.com`,
  rootFolderId: `r-root0${n}`,
  createTime: T0 + n,
});

const folder = (id: string, parentId: string | null, name: string, createTime = T0, directoryId = 'rd-dir001'): FolderRecord => ({
  id,
  directoryId,
  parentId,
  name,
  depth: parentId === null ? 0 : 1,
  createTime,
});

const account = (id: string, folderId: string | null, displayName: string, joinTime = T0, directoryId: string | null = 'rd-dir001'): AccountRecord => ({
  id,
  directoryId,
  folderId,
  accountName: `${displayName.replace(/\W/g, '').toLowerCase()}-${id}@example.com`,
  displayName,
  type: 'ResourceAccount',
  joinMethod: 'created',
  joinTime,
  modifyTime: joinTime,
});

const contact = (id: string, name: string, createTime = T0, more: Partial<ContactRecord> = {}): ContactRecord => ({
  id,
  directoryId: 'rd-dir001',
  name,
  title: 'TechnicalDirector',
  messageTypes: ['ServiceMessage', 'FaultMessage'],
  emailEffective: null,
  emailPending: `${name}@example.com`,
  phoneEffective: null,
  phonePending: null,
  deleting: false,
  createTime,
  ...more,
});

const job = (more: Partial<NewJob> = {}): NewJob => ({
  kind: 'message-center.sync',
  payload: { afterAccountId: '', nested: { list: [1, 'two'] } },
  contactId: 'c-1',
  runAt: T0,
  held: false,
  createdAt: T0,
  lane: '',
  outboxId: null,
  ...more,
});

const inherited = (accountId: string, contactId: string, via: string[]): MessageCenterEntry => ({
  accountId,
  contactId,
  source: 'Inherited',
  via,
  retained: null,
});

/** One directory with its Root, the ground most rows stand on. */
async function rootDirectory(tx: Tx, n = 1): Promise<DirectoryRecord> {
  const d = directory(n);
  await tx.directories.insert(d);
  await tx.folders.insert(folder(d.rootFolderId, null, 'root', T0, d.id));
  return d;
}

const page = (offset: number, limit: number) => ({ offset, limit });
const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

/**
 * The storage contract as a suite any backend can run: `makeStore` gives it a fresh database
 * (or says why there is none here, and every check is skipped, loudly). A new backend runs
 * `contract('its name', makeStore)` and gets every check SQLite and PostgreSQL pass.
 */
export function contract(name: string, makeStore: MakeDatabase): void {
  storeSuite(`store contract on ${name}`, makeStore, ({ it, write, read, store, another }) => {
    it('reports its capabilities: a store shared by several processes announces their jobs', async () => {
      assert.ok(['sqlite', 'postgres'].includes(store().dialect));
      assert.equal(typeof store().listenForJobs, store().singleProcess ? 'undefined' : 'function');
    });

    it('directories: insert, by ID, by master account; the master account is unique', async () => {
      await write(async (tx) => {
        await rootDirectory(tx, 1);
        await tx.directories.insert(directory(2));
      });
      await read(async (tx) => {
        assert.deepEqual(await tx.directories.byId('rd-dir001'), directory(1));
        assert.deepEqual(await tx.directories.byMasterAccount('1000000000000002'), directory(2));
        assert.equal(await tx.directories.byId('rd-nothere'), null);
        assert.equal(await tx.directories.byMasterAccount('1999999999999999'), null);
      });
      await assert.rejects(write((tx) => tx.directories.insert({ ...directory(3), masterAccountId: directory(1).masterAccountId })));
    });

    it('folders: lookups stay inside their directory; children page by creation time, then in the order made', async () => {
      await write(async (tx) => {
        await rootDirectory(tx, 1);
        await rootDirectory(tx, 2);
        // Same creation time: the order they were made in decides, whatever their IDs.
        await tx.folders.insert(folder('fd-b', 'r-root01', 'Beta', T0 + 5));
        await tx.folders.insert(folder('fd-a', 'r-root01', 'alpha', T0 + 5));
        await tx.folders.insert(folder('fd-C', 'r-root01', 'ALPHABET', T0 + 5));
        await tx.folders.insert(folder('fd-z', 'r-root01', 'zeta', T0 + 1));
        await tx.folders.insert(folder('fd-sub', 'fd-a', 'Beta', T0 + 9));
      });
      await read(async (tx) => {
        assert.deepEqual(await tx.folders.byId('rd-dir001', 'fd-a'), folder('fd-a', 'r-root01', 'alpha', T0 + 5));
        assert.equal(await tx.folders.byId('rd-dir002', 'fd-a'), null);
        assert.equal((await tx.folders.byParentAndName('rd-dir001', 'fd-a', 'Beta'))?.id, 'fd-sub');
        assert.equal(await tx.folders.byParentAndName('rd-dir001', 'fd-a', 'beta'), null);
        const all = await tx.folders.children('rd-dir001', 'r-root01', null, null, page(0, 10));
        assert.deepEqual([all.total, ids(all.items)], [4, ['fd-z', 'fd-b', 'fd-a', 'fd-C']]);
        const second = await tx.folders.children('rd-dir001', 'r-root01', null, null, page(1, 2));
        assert.deepEqual([second.total, ids(second.items)], [4, ['fd-b', 'fd-a']]);
        const matching = await tx.folders.children('rd-dir001', 'r-root01', 'alPHa', null, page(0, 10));
        assert.deepEqual([matching.total, ids(matching.items)], [2, ['fd-a', 'fd-C']]);
        assert.equal(await tx.folders.countChildren('rd-dir001', 'r-root01'), 4);
        assert.equal(await tx.folders.countChildren('rd-dir002', 'r-root01'), 0);
        assert.deepEqual(ids(await tx.folders.all('rd-dir001')).sort(), ['fd-C', 'fd-a', 'fd-b', 'fd-sub', 'fd-z', 'r-root01']);
      });
      await assert.rejects(write((tx) => tx.folders.insert(folder('fd-dup', 'r-root01', 'zeta'))), 'a name twice under one parent');
      await write((tx) => tx.folders.delete('rd-dir001', 'fd-sub'));
      assert.equal(await read((tx) => tx.folders.byId('rd-dir001', 'fd-sub')), null);
    });

    it('folders: keyword matching folds ASCII case only, as SQLite does', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.folders.insert(folder('fd-e', 'r-root01', 'Équipe'));
      });
      await read(async (tx) => {
        assert.equal((await tx.folders.children('rd-dir001', 'r-root01', 'QUIPE', null, page(0, 10))).total, 1);
        assert.equal((await tx.folders.children('rd-dir001', 'r-root01', 'équipe', null, page(0, 10))).total, 0);
      });
    });

    it('accounts: lookups, update, and listing by folder and keyword in join order', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.folders.insert(folder('fd-eng', 'r-root01', 'Eng'));
        await tx.accounts.insert(account('1000000000000013', 'r-root01', 'Carol Ops', T0 + 3));
        await tx.accounts.insert(account('1000000000000011', 'fd-eng', 'Alice Dev', T0 + 1));
        await tx.accounts.insert(account('1000000000000012', 'fd-eng', 'Bob Dev', T0 + 1));
        await tx.accounts.insert(account('2000000000000001', null, 'Outsider', T0, null));
      });
      await read(async (tx) => {
        assert.deepEqual(await tx.accounts.byId('1000000000000011'), account('1000000000000011', 'fd-eng', 'Alice Dev', T0 + 1));
        assert.deepEqual(await tx.accounts.byId('2000000000000001'), account('2000000000000001', null, 'Outsider', T0, null));
        assert.equal((await tx.accounts.byDisplayName('rd-dir001', 'Bob Dev'))?.id, '1000000000000012');
        assert.equal(await tx.accounts.byDisplayName('rd-dir001', 'Outsider'), null);
        assert.equal((await tx.accounts.byAccountName('carolops-1000000000000013@example.com'))?.id, '1000000000000013');
        assert.equal(await tx.accounts.byId('1000000000000099'), null);
        const everyone = await tx.accounts.list('rd-dir001', { folderId: null, keyword: null, tags: null }, page(0, 10));
        assert.deepEqual([everyone.total, ids(everyone.items)], [3, ['1000000000000011', '1000000000000012', '1000000000000013']]);
        const eng = await tx.accounts.list('rd-dir001', { folderId: 'fd-eng', keyword: null, tags: null }, page(1, 10));
        assert.deepEqual([eng.total, ids(eng.items)], [2, ['1000000000000012']]);
        // The keyword matches the display name or account name ignoring case, or the ID.
        assert.deepEqual(ids((await tx.accounts.list('rd-dir001', { folderId: null, keyword: 'DEV', tags: null }, page(0, 10))).items), ['1000000000000011', '1000000000000012']);
        assert.deepEqual(ids((await tx.accounts.list('rd-dir001', { folderId: null, keyword: '013', tags: null }, page(0, 10))).items), ['1000000000000013']);
        assert.deepEqual(ids((await tx.accounts.list('rd-dir001', { folderId: null, keyword: 'CAROLOPS-', tags: null }, page(0, 10))).items), ['1000000000000013']);
        assert.equal(await tx.accounts.countInFolder('rd-dir001', 'fd-eng'), 2);
        assert.equal(await tx.accounts.countInFolder('rd-dir001', 'r-root01'), 1);
      });
      const moved = { ...account('1000000000000011', 'r-root01', 'Alice Ops', T0 + 1), modifyTime: T0 + 50 };
      await write((tx) => tx.accounts.update(moved));
      assert.deepEqual(await read((tx) => tx.accounts.byId(moved.id)), moved);
      await assert.rejects(write((tx) => tx.accounts.insert(account('1000000000000011', null, 'Twice'))));
    });

    it('accounts: the member count follows every insert, move, delete and wipe', async () => {
      const members = () => read(async (tx) => [await tx.accounts.countMembers('rd-dir001', '1000000000000000'), await tx.accounts.countMembers('rd-dir002', '1000000000000000')]);
      await write(async (tx) => {
        await rootDirectory(tx);
        await rootDirectory(tx, 2);
        await tx.accounts.insert(account('1000000000000000', 'r-root01', 'owner'));
        await tx.accounts.insertMany([1, 2, 3].map((i) => account(`100000000000000${i}`, 'r-root01', `member ${i}`)));
        await tx.accounts.insert(account('1000000000000009', null, 'no directory', T0, null));
      });
      assert.deepEqual(await members(), [3, 0], 'the account named is not counted');
      await write(async (tx) => {
        await tx.accounts.update(account('1000000000000001', 'r-root02', 'moved', T0, 'rd-dir002'));
        await tx.accounts.update(account('1000000000000002', 'r-root01', 'renamed'));
        await tx.accounts.update(account('1000000000000009', 'r-root02', 'joined', T0, 'rd-dir002'));
        await tx.accounts.delete('1000000000000003');
      });
      assert.deepEqual(await members(), [1, 2]);
      await write(async (tx) => {
        await tx.accounts.update(account('1000000000000001', null, 'left', T0, null));
      });
      assert.deepEqual(await members(), [1, 1]);
      await store().wipe();
      assert.deepEqual(await members(), [0, 0]);
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.accounts.insert(account('1000000000000004', 'r-root01', 'after the wipe'));
      });
      assert.deepEqual(await members(), [1, 0]);
    });

    it('filtered lists of many accounts and folders: counts, pages and tokens across every step of the read; a rare tag drives', async () => {
      // More rows than one window of a 20-condition filter holds, so SQLite reads them in several.
      const members = 400;
      const every = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
      const memberId = (i: number) => String(1_000_000_000_000_100 + i);
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.folders.insert(folder('fd-eng', 'r-root01', 'Eng'));
        const accounts = Array.from({ length: members }, (_, i) => account(memberId(i), i % 2 ? 'fd-eng' : 'r-root01', `Member ${i % 7 ? 'x' : 'seven'}`, T0 + Math.floor(i / 3)));
        await tx.accounts.insertMany(accounts);
        const folders = Array.from({ length: 150 }, (_, i) => folder(`fd-${String(i).padStart(3, '0')}`, 'fd-eng', `F${i % 5 ? 'x' : 'five'}${i}`, T0 + i));
        for (const f of folders) await tx.folders.insert(f);
        await tx.tags.put([
          ...accounts.flatMap((a) => every.map((t) => ({ directoryId: 'rd-dir001', resourceType: 'Account' as const, resourceId: a.id, ...t }))),
          ...folders.flatMap((f) => every.map((t) => ({ directoryId: 'rd-dir001', resourceType: 'Folder' as const, resourceId: f.id, ...t }))),
          ...[3, 200, 399].map((i) => ({ directoryId: 'rd-dir001', resourceType: 'Account' as const, resourceId: memberId(i), key: 'rare', value: 'yes' })),
        ]);
      });
      await read(async (tx) => {
        const all = { folderId: null, keyword: null, tags: every };
        assert.equal(await tx.accounts.count('rd-dir001', all), members);
        const middle = await tx.accounts.list('rd-dir001', all, page(290, 10));
        assert.deepEqual([middle.total, ids(middle.items)], [members, Array.from({ length: 10 }, (_, i) => memberId(290 + i))]);
        assert.deepEqual(ids((await tx.accounts.list('rd-dir001', all, page(1_000_000, 10))).items), []);
        const inEng = await tx.accounts.list('rd-dir001', { ...all, folderId: 'fd-eng', keyword: 'SEVEN' }, page(1, 3));
        const sevensInEng = Array.from({ length: members }, (_, i) => i).filter((i) => i % 2 && !(i % 7));
        assert.deepEqual([inEng.total, ids(inEng.items)], [sevensInEng.length, sevensInEng.slice(1, 4).map(memberId)]);
        // Token pages: each starts after the last one's place, across steps.
        const first = await tx.accounts.listAfter('rd-dir001', { keyword: null, tags: every }, null, 150);
        const second = await tx.accounts.listAfter('rd-dir001', { keyword: null, tags: every }, first.at(-1)!.place, 150);
        assert.deepEqual([...first, ...second].map((a) => a.account.id), Array.from({ length: 300 }, (_, i) => memberId(i)));
        // A tag few accounts carry, with the others.
        const rare = { folderId: null, keyword: null, tags: [...every.slice(0, 19), { key: 'rare', value: null }] };
        const rareList = await tx.accounts.list('rd-dir001', rare, page(1, 10));
        assert.deepEqual([rareList.total, ids(rareList.items)], [3, [memberId(200), memberId(399)]]);
        assert.deepEqual((await tx.accounts.listAfter('rd-dir001', rare, first.at(-1)!.place, 10)).map((a) => a.account.id), [memberId(200), memberId(399)]);
        assert.equal(await tx.accounts.count('rd-dir001', { ...rare, folderId: 'fd-eng' }), 2);
        assert.equal(await tx.accounts.count('rd-dir001', { folderId: null, keyword: null, tags: [{ key: 'k1', value: 'other' }] }), 0);
        // Folders the same way.
        const fives = await tx.folders.children('rd-dir001', 'fd-eng', 'five', every, page(2, 10));
        assert.deepEqual([fives.total, ids(fives.items)], [30, Array.from({ length: 10 }, (_, i) => `fd-${String((2 + i) * 5).padStart(3, '0')}`)]);
        assert.equal((await tx.folders.children('rd-dir001', 'fd-eng', null, [{ key: 'k0', value: null }], page(0, 1))).total, 150);
        // ListTagResources' filtered pages: by key and value, or key alone, across resources.
        const tagPage = await tx.tags.page('rd-dir001', 'Account', null, [{ key: 'rare', value: 'yes' }, { key: 'k5', value: null }, { key: 'k5', value: 'v5' }], null, 5);
        assert.deepEqual(tagPage.map((t) => [t.resourceId, t.key]), [
          [memberId(0), 'k5'], [memberId(1), 'k5'], [memberId(2), 'k5'], [memberId(3), 'k5'], [memberId(3), 'rare'],
        ]);
        const next = await tx.tags.page('rd-dir001', 'Account', null, [{ key: 'rare', value: 'yes' }, { key: 'k5', value: null }], { resourceId: memberId(3), key: 'k5' }, 2);
        assert.deepEqual(next.map((t) => [t.resourceId, t.key]), [[memberId(3), 'rare'], [memberId(4), 'k5']]);
        assert.deepEqual(await tx.tags.page('rd-dir001', 'Account', null, [{ key: 'absent', value: null }, { key: 'k1', value: 'no' }], null, 5), []);
      });
    });

    it('accounts: batches in ID order after a cursor, in given folders or the whole directory', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await rootDirectory(tx, 2);
        await tx.folders.insert(folder('fd-a', 'r-root01', 'A'));
        await tx.folders.insert(folder('fd-b', 'r-root01', 'B'));
        for (let i = 1; i <= 6; i++) await tx.accounts.insert(account(`100000000000000${i}`, i % 2 ? 'fd-a' : 'fd-b', `member ${i}`));
        await tx.accounts.insert(account('1000000000000000', 'r-root01', 'first'));
        await tx.accounts.insert(account('1000000000000009', 'r-root02', 'elsewhere', T0, 'rd-dir002'));
      });
      await read(async (tx) => {
        assert.deepEqual(ids(await tx.accounts.batchInFolder('rd-dir001', null, '', 3)), ['1000000000000000', '1000000000000001', '1000000000000002']);
        assert.deepEqual(ids(await tx.accounts.batchInFolder('rd-dir001', null, '1000000000000004', 10)), ['1000000000000005', '1000000000000006']);
        assert.deepEqual(ids(await tx.accounts.batchInFolder('rd-dir001', 'fd-a', '1000000000000001', 10)), ['1000000000000003', '1000000000000005']);
        assert.deepEqual(ids(await tx.accounts.batchInFolder('rd-dir001', 'fd-b', '', 2)), ['1000000000000002', '1000000000000004']);
        assert.deepEqual(await tx.accounts.batchInFolder('rd-dir001', 'fd-none', '', 10), []);
        assert.equal(await tx.accounts.countMembers('rd-dir001', '1000000000000000'), 6, 'the directory but the account named');
        assert.equal(await tx.accounts.countMembers('rd-dir002', '1000000000000000'), 1);
      });
    });

    it('contacts: lookups, count, update, delete; types and flags come back as written', async () => {
      const deleting = contact('c-2', 'two', T0 + 2, { deleting: true, emailEffective: 'e@example.com', phonePending: '86-13800000000', messageTypes: ['AccountExpenses'] });
      await write(async (tx) => {
        await rootDirectory(tx);
        await rootDirectory(tx, 2);
        await tx.contacts.insert(contact('c-1', 'one', T0 + 1));
        await tx.contacts.insert(deleting);
      });
      await read(async (tx) => {
        assert.deepEqual(await tx.contacts.byId('rd-dir001', 'c-2'), deleting);
        assert.equal(await tx.contacts.byId('rd-dir002', 'c-2'), null);
        assert.equal((await tx.contacts.byName('rd-dir001', 'one'))?.id, 'c-1');
        assert.equal(await tx.contacts.byName('rd-dir001', 'ONE'), null);
        assert.equal(await tx.contacts.count('rd-dir001'), 2);
        assert.equal(await tx.contacts.count('rd-dir002'), 0);
      });
      const changed = { ...contact('c-1', 'uno', T0 + 1), title: 'CEO' as const, messageTypes: [], emailEffective: 'u@example.com', emailPending: null, deleting: true };
      await write((tx) => tx.contacts.update(changed));
      assert.deepEqual(await read((tx) => tx.contacts.byId('rd-dir001', 'c-1')), changed);
      await assert.rejects(write((tx) => tx.contacts.insert(contact('c-3', 'uno'))), 'a name twice in one directory');
      await write((tx) => tx.contacts.delete('rd-dir001', 'c-1'));
      assert.equal(await read((tx) => tx.contacts.byId('rd-dir001', 'c-1')), null);
    });

    it('contacts: lists by creation time, then in the order made, whole or by IDs; pending targets', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.contacts.insert(contact('c-b', 'b', T0 + 1, { emailPending: null }));
        await tx.contacts.insert(contact('c-a', 'a', T0 + 1, { emailPending: null, phonePending: '86-13900000000' }));
        await tx.contacts.insert(contact('c-Z', 'z', T0 + 1));
        await tx.contacts.insert(contact('c-0', 'first', T0));
      });
      await read(async (tx) => {
        const everyone = await tx.contacts.list('rd-dir001', null, page(0, 10));
        assert.deepEqual([everyone.total, ids(everyone.items)], [4, ['c-0', 'c-b', 'c-a', 'c-Z']]);
        const second = await tx.contacts.list('rd-dir001', null, page(2, 1));
        assert.deepEqual([second.total, ids(second.items)], [4, ['c-a']]);
        const some = await tx.contacts.list('rd-dir001', ['c-b', 'c-0', 'c-none'], page(0, 1));
        assert.deepEqual([some.total, ids(some.items)], [2, ['c-0']]);
        assert.deepEqual(await tx.contacts.list('rd-dir001', [], page(0, 10)), { total: 0, items: [] });
        assert.deepEqual(ids(await tx.contacts.withPendingTargets('rd-dir001', null)), ['c-0', 'c-a', 'c-Z']);
        assert.deepEqual(ids(await tx.contacts.withPendingTargets('rd-dir001', 'c-a')), ['c-a']);
        assert.deepEqual(ids(await tx.contacts.withPendingTargets('rd-dir001', 'c-b')), []);
        assert.deepEqual(ids(await tx.contacts.all('rd-dir001')), ['c-0', 'c-b', 'c-a', 'c-Z']);
      });
    });

    it('bindings: in binding order per contact, per member, and deleted one by one or all', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.contacts.insert(contact('c-1', 'one'));
        await tx.contacts.insert(contact('c-2', 'two'));
        await tx.bindings.insert({ contactId: 'c-1', memberId: 'fd-z', memberKind: 'folder', boundAt: T0 + 1 });
        await tx.bindings.insert({ contactId: 'c-2', memberId: 'rd-dir001', memberKind: 'directory', boundAt: T0 + 2 });
        await tx.bindings.insert({ contactId: 'c-1', memberId: '1000000000000001', memberKind: 'account', boundAt: T0 });
        await tx.bindings.insert({ contactId: 'c-2', memberId: 'fd-z', memberKind: 'folder', boundAt: T0 + 3 });
      });
      const pairs = (bs: Array<{ contactId: string; memberId: string }>) => bs.map((b) => `${b.contactId}>${b.memberId}`);
      await read(async (tx) => {
        assert.deepEqual(await tx.bindings.forContact('c-1'), [
          { contactId: 'c-1', memberId: 'fd-z', memberKind: 'folder', boundAt: T0 + 1 },
          { contactId: 'c-1', memberId: '1000000000000001', memberKind: 'account', boundAt: T0 },
        ]);
        assert.deepEqual(pairs(await tx.bindings.forContacts(['c-2', 'c-1'])), ['c-1>fd-z', 'c-2>rd-dir001', 'c-1>1000000000000001', 'c-2>fd-z']);
        assert.deepEqual(await tx.bindings.forContacts([]), []);
        assert.deepEqual(pairs(await tx.bindings.forMembers(['fd-z'])), ['c-1>fd-z', 'c-2>fd-z']);
      });
      // Many at once keep their order too.
      await write((tx) => tx.bindings.insertMany([
        { contactId: 'c-2', memberId: '1000000000000009', memberKind: 'account', boundAt: T0 + 4 },
        { contactId: 'c-2', memberId: '1000000000000008', memberKind: 'account', boundAt: T0 + 4 },
      ]));
      assert.deepEqual(pairs(await read((tx) => tx.bindings.forContact('c-2'))), ['c-2>rd-dir001', 'c-2>fd-z', 'c-2>1000000000000009', 'c-2>1000000000000008']);
      // What GetMessageContact reads, in one statement, read without a transaction.
      const shown = await store().readOne((tx) => tx.contacts.shownTo('1000000000000001', 'c-1'));
      assert.deepEqual(shown, {
        directory: directory(1),
        contact: contact('c-1', 'one'),
        bindings: [
          { contactId: 'c-1', memberId: 'fd-z', memberKind: 'folder', boundAt: T0 + 1 },
          { contactId: 'c-1', memberId: '1000000000000001', memberKind: 'account', boundAt: T0 },
        ],
      });
      assert.deepEqual(await store().readOne((tx) => tx.contacts.shownTo('1000000000000001', 'c-none')), { directory: directory(1), contact: null, bindings: [] });
      assert.deepEqual(await store().readOne((tx) => tx.contacts.shownTo('1000000000000099', 'c-1')), { directory: null, contact: null, bindings: [] });
      await assert.rejects(write((tx) => tx.bindings.insert({ contactId: 'c-1', memberId: 'fd-z', memberKind: 'folder', boundAt: T0 })));
      await write(async (tx) => {
        await tx.bindings.delete('c-1', 'fd-z');
        await tx.bindings.deleteForContact('c-2');
      });
      assert.deepEqual(pairs(await read((tx) => tx.bindings.forContacts(['c-1', 'c-2']))), ['c-1>1000000000000001']);
    });

    it('deletions: upsert inserts then replaces; delete removes; several read at once', async () => {
      const started = { contactId: 'c-1', status: 'Deleting' as const, failReasons: [], startedAt: T0 };
      await write((tx) => tx.deletions.upsert(started));
      assert.deepEqual(await read((tx) => tx.deletions.byContact('c-1')), started);
      const failed = { ...started, status: 'Failed' as const, failReasons: [{ AccountId: '1000000000000001', MessageTypes: ['FaultMessage' as const] }] };
      await write((tx) => tx.deletions.upsert(failed));
      assert.deepEqual(await read((tx) => tx.deletions.byContact('c-1')), failed);
      await write((tx) => tx.deletions.delete('c-1'));
      assert.equal(await read((tx) => tx.deletions.byContact('c-1')), null);
      await write((tx) => tx.deletions.upsert({ ...failed, contactId: 'c-2' }));
      assert.deepEqual(await read((tx) => tx.deletions.forContacts(['c-1', 'c-2', 'c-3'])), [{ ...failed, contactId: 'c-2' }]);
    });

    it("the console's reads: accounts by IDs and by display-name prefix in keyset pages, members counted up to a cap, children by name", async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await rootDirectory(tx, 2);
        await tx.folders.insert(folder('fd-eng', 'r-root01', 'Eng'));
        for (const [i, name] of ['b', 'a', 'D', 'c'].entries()) await tx.folders.insert(folder(`fd-s${i}`, 'fd-eng', name, T0 + i));
        await tx.folders.insert(folder('fd-x', 'r-root01', 'X'));
        await tx.folders.insert(folder('fd-y', 'fd-x', 'Y'));
        await tx.accounts.insertMany([
          account('1000000000000011', 'fd-eng', 'ops-b'),
          account('1000000000000012', 'fd-eng', 'ops-a'),
          account('1000000000000013', 'fd-eng', 'ops'),
          account('1000000000000014', 'fd-eng', 'Ops-c'),
          account('1000000000000015', 'r-root01', 'opsz\u{10FFFF}'),
          account('1000000000000016', 'r-root01', 'op'),
          account('2000000000000011', 'r-root02', 'ops-other', T0, 'rd-dir002'),
        ]);
      });
      await read(async (tx) => {
        assert.deepEqual(ids(await tx.accounts.byIds('rd-dir001', ['1000000000000012', '2000000000000011', '1999999999999999'])), ['1000000000000012']);
        const names = async (after: string | null, limit: number) => (await tx.accounts.byNamePrefix('rd-dir001', 'ops', after, limit)).map((a) => a.displayName);
        // Byte order (upper case first), the prefix itself included, another directory's never.
        assert.deepEqual(await names(null, 10), ['ops', 'ops-a', 'ops-b', 'opsz\u{10FFFF}']);
        assert.deepEqual(await names(null, 2), ['ops', 'ops-a']);
        assert.deepEqual(await names('ops-a', 2), ['ops-b', 'opsz\u{10FFFF}']);
        assert.deepEqual(await names('opsz\u{10FFFF}', 2), []);
        const counts = await tx.accounts.countInFolders('rd-dir001', ['fd-eng', 'r-root01', 'fd-x'], 3);
        assert.deepEqual([...counts].sort(), [['fd-eng', 3], ['r-root01', 2]], 'counted no further than the cap; empty folders absent');
        const children = await tx.folders.childrenByName('rd-dir001', ['fd-eng', 'fd-x', 'r-root01'], '', 2);
        assert.deepEqual(children.map((c) => [c.folder.id, c.siblings]), [['fd-s2', 4], ['fd-s1', 4], ['fd-y', 1], ['fd-eng', 2], ['fd-x', 2]]);
        const after = await tx.folders.childrenByName('rd-dir001', ['fd-eng'], 'a', 10);
        assert.deepEqual(after.map((c) => [c.folder.name, c.siblings]), [['b', 2], ['c', 2]]);
        assert.deepEqual(await tx.folders.childrenByName('rd-dir002', ['fd-eng'], '', 10), []);
      });
    });

    it('jobs: claims take the due, unheld, unlocked job queued first; stale locks count as free', async () => {
      const [future, early, held, late] = await write(async (tx) => [
        await tx.jobs.insert(job({ runAt: T0 + 10_000 })),
        await tx.jobs.insert(job({ runAt: T0 + 5, kind: 'contact.delete', contactId: 'c-2', lane: 'rd-1' })),
        await tx.jobs.insert(job({ runAt: T0, held: true })),
        await tx.jobs.insert(job({ runAt: T0 + 10 })),
      ]);
      assert.ok(early! > future! && held! > early! && late! > held!, 'IDs increase');
      const first = await write((tx) => tx.jobs.claim('worker-a', T0 + 20, T0 - 1_000));
      assert.deepEqual(first, {
        id: early, kind: 'contact.delete', payload: job().payload, contactId: 'c-2', runAt: T0 + 5, held: false,
        attempts: 0, lockedBy: 'worker-a', lockedAt: T0 + 20, lastError: null, state: 'pending', createdAt: T0, lane: 'rd-1',
        failedAt: null, redrives: 0, priorAttempts: 0, outboxId: null,
      });
      assert.equal((await write((tx) => tx.jobs.claim('worker-b', T0 + 20, T0 - 1_000)))?.id, late);
      assert.equal(await write((tx) => tx.jobs.claim('worker-b', T0 + 20, T0 - 1_000)), null, 'the rest is held, locked or not due');
      // worker-a died: once its lock is older than the stale limit, worker-b takes the job over.
      const takeover = await write((tx) => tx.jobs.claim('worker-b', T0 + 5_000, T0 + 21));
      assert.deepEqual([takeover?.id, takeover?.lockedBy, takeover?.lockedAt], [early, 'worker-b', T0 + 5_000]);
      const relocked = await write((tx) => tx.jobs.lock(early!));
      assert.deepEqual([relocked?.lockedBy, relocked?.lockedAt], ['worker-b', T0 + 5_000]);
      assert.equal(await write((tx) => tx.jobs.lock(999_999)), null);
    });

    it('jobs: a retry puts failed jobs back with a fresh budget and their history, in (failedAt, id) batches; deliveries find their jobs', async () => {
      const message = (id: string, delivery: 'failed' | 'sent'): OutboxRecord => ({
        id, messageId: 'm-1', channel: 'email', to: `${id}@example.com`, subject: 's', body: 'b', link: null, contactId: null,
        accountId: null, createdAt: T0, delivery, attempts: 3, lastError: 'boom', deliveredAt: null,
      });
      const delivery = (outboxId: string) => job({ kind: 'delivery.send', payload: { outboxId }, contactId: null, outboxId });
      const [a, b, c, pending, d] = await write(async (tx) => {
        for (const id of ['o-a', 'o-b', 'o-gone']) await tx.outbox.insert(message(id, 'failed'));
        await tx.outbox.insert(message('o-sent', 'sent'));
        return [
          await tx.jobs.insert(delivery('o-a')),
          await tx.jobs.insert(delivery('o-b')),
          await tx.jobs.insert(job()),
          await tx.jobs.insert(job()),
          await tx.jobs.insert(job({ kind: 'contact.delete' })),
        ];
      });
      await write(async (tx) => {
        await tx.jobs.markFailed(c!, 3, 'c failed', T0 + 10);
        await tx.jobs.markFailed(b!, 3, 'b failed', T0 + 20);
        await tx.jobs.markFailed(a!, 3, 'a failed', T0 + 20);
        await tx.jobs.markFailed(d!, 3, 'd failed', T0 + 20);
      });
      const schedule = { runAt: T0 + 100, held: false };
      const kinds = ['message-center.sync', 'delivery.send'];
      // Two a batch, in failure time then ID order; the contact.delete job is not of the kinds asked.
      const first = await write((tx) => tx.jobs.redrive({ kinds, after: { failedAt: 0, id: 0 }, until: T0 + 20, limit: 2 }, schedule));
      assert.deepEqual(first.map((j) => [j.id, j.failedAt, j.outboxId]).sort(), [[a, T0 + 20, 'o-a'], [c, T0 + 10, null]].sort());
      const second = await write((tx) => tx.jobs.redrive({ kinds, after: { failedAt: T0 + 20, id: a! }, until: T0 + 20, limit: 2 }, schedule));
      assert.deepEqual(second.map((j) => j.id), [b]);
      const retried = (await read((tx) => tx.jobs.list(10))).find((j) => j.id === a)!;
      assert.deepEqual(
        [retried.state, retried.held, retried.runAt, retried.attempts, retried.priorAttempts, retried.redrives, retried.lastError, retried.failedAt, retried.outboxId],
        ['pending', false, T0 + 100, 0, 3, 1, 'a failed', T0 + 20, 'o-a'],
      );
      assert.deepEqual(await write((tx) => tx.jobs.redrive({ jobId: a! }, schedule)), [], 'a job no longer failed is left alone');
      assert.deepEqual(await write((tx) => tx.jobs.redrive({ jobId: pending! }, schedule)), []);
      assert.deepEqual((await write((tx) => tx.jobs.redrive({ jobId: d! }, schedule))).map((j) => j.id), [d]);

      // Deliveries: only failed ones turn pending; a job is queued only where none exists.
      assert.deepEqual((await write((tx) => tx.outbox.redrive(['o-a', 'o-sent', 'o-gone', 'o-none']))).sort(), ['o-a', 'o-gone']);
      assert.deepEqual((await read((tx) => tx.outbox.byId('o-sent')))!.delivery, 'sent');
      assert.deepEqual((await read((tx) => tx.outbox.byId('o-a')))!.attempts, 3, 'attempts are kept');
      assert.equal(await write((tx) => tx.jobs.enqueueDeliveries(['o-a', 'o-gone'], { runAt: T0 + 5, held: true }, T0 + 5)), 1);
      const queued = (await read((tx) => tx.jobs.list(10))).find((j) => j.outboxId === 'o-gone')!;
      assert.deepEqual([queued.kind, queued.payload, queued.state, queued.held, queued.runAt, queued.lane], ['delivery.send', { outboxId: 'o-gone' }, 'pending', true, T0 + 5, '']);
      assert.deepEqual(await read((tx) => tx.outbox.failedAfter({ createdAt: 0, id: '' }, 10)), [{ id: 'o-b', createdAt: T0 }]);
      assert.deepEqual(await read((tx) => tx.outbox.failedAfter({ createdAt: T0, id: 'o-b' }, 10)), []);
      assert.deepEqual(await read((tx) => tx.outbox.failedOfMessage('m-1', 10)), [{ id: 'o-b', createdAt: T0 }]);
      await write((tx) => tx.jobs.markFailed(b!, 1, 'b failed again', T0 + 30));
      assert.deepEqual((await write((tx) => tx.jobs.redrive({ outboxIds: ['o-b'] }, schedule))).map((j) => j.id), [b]);
    });

    it('jobs: lanes take turns, so one directory\'s queue holds another\'s job back by one batch', async () => {
      const [a1, a2, a3, b1] = await write(async (tx) => [
        await tx.jobs.insert(job({ lane: 'rd-a' })),
        await tx.jobs.insert(job({ lane: 'rd-a' })),
        await tx.jobs.insert(job({ lane: 'rd-a' })),
        await tx.jobs.insert(job({ lane: 'rd-b' })),
      ]);
      const claim = async () => (await write((tx) => tx.jobs.claim('w', T0, T0 - 1_000)))?.id;
      assert.equal(await claim(), a1);
      // a1's batch is done and it continues: behind its own lane's other jobs.
      await write((tx) => tx.jobs.reschedule(a1!, { afterAccountId: '42' }, T0, 0, null));
      assert.deepEqual([await claim(), await claim(), await claim(), await claim()], [b1, a2, a3, a1]);
    });

    it('jobs and outbox census: counts by kind or channel and state, each stopping at its bound, and the oldest pending run time', async () => {
      const kinds = ['message-center.sync', 'contact.delete', 'delivery.send'];
      const empty = { pending: 0, held: 0, failed: 0, oldestRunAt: null };
      assert.deepEqual(await read((tx) => tx.jobs.census(kinds, 2)), kinds.map((kind) => ({ kind, ...empty })));
      const [, , , , failing] = await write(async (tx) => [
        await tx.jobs.insert(job({ runAt: T0 + 30 })),
        await tx.jobs.insert(job({ runAt: T0 + 10 })),
        await tx.jobs.insert(job({ runAt: T0 + 20 })),
        await tx.jobs.insert(job({ runAt: T0, held: true })),
        await tx.jobs.insert(job({ kind: 'delivery.send', runAt: T0 + 5 })),
      ]);
      await write((tx) => tx.jobs.markFailed(failing!, 10, 'refused', T0 + 50));
      assert.deepEqual(await read((tx) => tx.jobs.census(kinds, 2)), [
        // Three pending, counted to the bound of 2; the held job's earlier run time does not count.
        { kind: 'message-center.sync', pending: 2, held: 1, failed: 0, oldestRunAt: T0 + 10 },
        { kind: 'contact.delete', ...empty },
        { kind: 'delivery.send', pending: 0, held: 0, failed: 1, oldestRunAt: null },
      ]);

      const message = (id: string, channel: 'email' | 'sms', delivery: 'pending' | 'sent' | 'failed' | 'recorded') => ({
        id, messageId: id, channel, to: 'a@example.com', subject: 's', body: 'b', link: null, contactId: null, accountId: null,
        createdAt: T0, delivery, attempts: 0, lastError: null, deliveredAt: null,
      });
      await write(async (tx) => {
        for (const [i, delivery] of (['pending', 'pending', 'pending', 'failed', 'sent', 'recorded'] as const).entries()) await tx.outbox.insert(message(`om-${i}`, 'email', delivery));
        await tx.outbox.insert(message('om-sms', 'sms', 'failed'));
      });
      assert.deepEqual(await read((tx) => tx.outbox.census(['email', 'sms'], 2)), [
        { channel: 'email', pending: 2, failed: 1 },
        { channel: 'sms', pending: 0, failed: 1 },
      ]);
    });

    it('jobs: complete, reschedule, fail, release, and what the worker and services read back', async () => {
      const [a, b, c] = await write(async (tx) => [
        await tx.jobs.insert(job({ contactId: 'c-1', lane: 'rd-1' })),
        await tx.jobs.insert(job({ contactId: 'c-1', kind: 'contact.delete', runAt: T0 + 1, lane: 'rd-1' })),
        await tx.jobs.insert(job({ contactId: null, held: true, runAt: T0 + 500, lane: 'rd-1' })),
      ]);
      assert.equal(await read((tx) => tx.jobs.nextRunAt()), T0, 'held jobs do not count');
      assert.equal(await read((tx) => tx.jobs.pendingForContact('c-1')), 2);
      assert.deepEqual((await read((tx) => tx.jobs.pendingInLane('rd-1', 'message-center.sync'))).map((j) => j.id).sort((x, y) => x - y), [a, c]);
      assert.deepEqual(await read((tx) => tx.jobs.pendingInLane('rd-2', 'message-center.sync')), [], 'another directory\'s lane holds none of them');

      await write((tx) => tx.jobs.claim('w', T0 + 2, T0));
      assert.equal(await read((tx) => tx.jobs.nextRunAt()), T0 + 1, 'a locked job does not count either');
      await write((tx) => tx.jobs.reschedule(a!, { afterAccountId: '42' }, T0 + 7, 3, 'boom'));
      const rescheduled = (await read((tx) => tx.jobs.list(10))).find((j) => j.id === a)!;
      assert.deepEqual(
        [rescheduled.payload, rescheduled.runAt, rescheduled.attempts, rescheduled.lastError, rescheduled.lockedBy, rescheduled.lockedAt],
        [{ afterAccountId: '42' }, T0 + 7, 3, 'boom', null, null],
      );
      await write((tx) => tx.jobs.markFailed(b!, 10, 'gave up', T0 + 50));
      const failed = (await read((tx) => tx.jobs.list(10))).find((j) => j.id === b)!;
      assert.deepEqual([failed.state, failed.attempts, failed.lastError, failed.lockedBy], ['failed', 10, 'gave up', null]);
      assert.equal(await read((tx) => tx.jobs.pendingForContact('c-1')), 1, 'failed jobs are not pending');
      assert.equal(await write((tx) => tx.jobs.claim('w', T0 + 100, T0)).then((j) => j?.id), a, 'failed jobs are never claimed');

      await write((tx) => tx.jobs.releaseAllLocks());
      assert.equal((await read((tx) => tx.jobs.list(10))).find((j) => j.id === a)!.lockedBy, null);
      assert.equal(await write((tx) => tx.jobs.release(T0 + 3)), 1);
      const released = (await read((tx) => tx.jobs.list(10))).find((j) => j.id === c)!;
      assert.deepEqual([released.held, released.runAt], [false, T0 + 3], 'released jobs run now at the latest');
      assert.equal(await write((tx) => tx.jobs.release(T0 + 3)), 0);

      await write((tx) => tx.jobs.complete(a!));
      assert.deepEqual((await read((tx) => tx.jobs.list(10))).map((j) => j.id), [c, b], 'newest first');
    });

    it('message centers: owner subscriptions, entries by account and by contact, retained copies', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        for (const id of ['1000000000000001', '1000000000000002', '1000000000000003']) await tx.accounts.insert(account(id, 'r-root01', `m ${id}`));
      });
      await read(async (tx) => {
        assert.equal(await tx.messageCenters.ownerTypes('1000000000000001'), null);
        assert.deepEqual(await tx.messageCenters.ownerTypesFor([]), new Map());
      });
      await write(async (tx) => {
        await tx.messageCenters.setOwnerTypes('1000000000000001', ['FaultMessage']);
        await tx.messageCenters.setOwnerTypes('1000000000000001', ['ServiceMessage', 'ProductMessage']);
        await tx.messageCenters.setOwnerTypes('1000000000000002', []);
        await tx.messageCenters.upsertMany([]);
        await tx.messageCenters.upsertMany([
          inherited('1000000000000001', 'c-b', ['r-root01']),
          inherited('1000000000000001', 'c-B', ['rd-dir001']),
          inherited('1000000000000002', 'c-b', ['r-root01']),
          inherited('1000000000000003', 'c-b', ['fd-x']),
        ]);
        // A second write of the same entry replaces it, retained copy fields included.
        await tx.messageCenters.upsertMany([
          inherited('1000000000000003', 'c-b', ['r-root01', '1000000000000003']),
          { ...inherited('1000000000000002', 'c-old', []), source: 'Retained', retained: { name: 'old', email: 'o@example.com', phone: '', messageTypes: ['FaultMessage'] } },
        ]);
      });
      await read(async (tx) => {
        assert.deepEqual(await tx.messageCenters.ownerTypes('1000000000000001'), ['ServiceMessage', 'ProductMessage']);
        assert.deepEqual(await tx.messageCenters.ownerTypesFor(['1000000000000001', '1000000000000002', '1000000000000003']), new Map([
          ['1000000000000001', ['ServiceMessage', 'ProductMessage']],
          ['1000000000000002', []],
        ]));
        assert.deepEqual(await tx.messageCenters.forAccount('1000000000000001'), [
          inherited('1000000000000001', 'c-B', ['rd-dir001']),
          inherited('1000000000000001', 'c-b', ['r-root01']),
        ]);
        const several = await tx.messageCenters.forAccounts(['1000000000000002', '1000000000000003']);
        assert.deepEqual(several.map((e) => `${e.accountId}:${e.contactId}`).sort(), ['1000000000000002:c-b', '1000000000000002:c-old', '1000000000000003:c-b']);
        assert.deepEqual(await tx.messageCenters.forAccounts([]), []);
        assert.deepEqual(await tx.messageCenters.batchForContact('c-b', '', 2), [
          inherited('1000000000000001', 'c-b', ['r-root01']),
          inherited('1000000000000002', 'c-b', ['r-root01']),
        ]);
        assert.deepEqual(await tx.messageCenters.batchForContact('c-b', '1000000000000002', 2), [
          inherited('1000000000000003', 'c-b', ['r-root01', '1000000000000003']),
        ]);
      });
      const snapshot = { name: 'bee', email: 'b@example.com', phone: '86-13700000000', messageTypes: ['SecurityMessage' as const] };
      assert.equal(await write((tx) => tx.messageCenters.retainContact('c-b', snapshot)), 3);
      assert.equal(await write((tx) => tx.messageCenters.retainContact('c-b', snapshot)), 0, 'retained copies are left alone');
      await write((tx) => tx.messageCenters.deleteMany([{ accountId: '1000000000000003', contactId: 'c-b' }, { accountId: '1000000000000001', contactId: 'c-none' }]));
      await write((tx) => tx.messageCenters.deleteMany([]));
      assert.deepEqual(await read((tx) => tx.messageCenters.batchForContact('c-b', '', 10)), ['1000000000000001', '1000000000000002'].map((accountId) => ({
        accountId, contactId: 'c-b', source: 'Retained', via: [], retained: snapshot,
      })));
    });

    it('transactions commit together or not at all; reads see what committed', async () => {
      await assert.rejects(
        write(async (tx) => {
          await rootDirectory(tx);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      assert.equal(await read((tx) => tx.directories.byId('rd-dir001')), null);
      await write((tx) => rootDirectory(tx));
      assert.notEqual(await read((tx) => tx.directories.byId('rd-dir001')), null);
    });

    it('every WriteLock serialises the read-then-write transactions that name it', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.accounts.insert(account('1000000000000011', 'r-root01', 'member'));
      });
      // Twenty writers each read the count and add one more: without serialising, some would
      // read the same count. The directory is named three ways: by ID, by its management
      // account, by a member.
      const ways: WriteLock[] = [{ directory: 'rd-dir001' }, { managedBy: '1000000000000001' }, { memberOf: '1000000000000011' }];
      await Promise.all(
        Array.from({ length: 21 }, (_, i) =>
          write(async (tx) => {
            const n = await tx.contacts.count('rd-dir001');
            await tx.contacts.insert(contact(`c-${i}`, `number${n}`));
          }, ways[i % 3]),
        ),
      );
      const names = (await read((tx) => tx.contacts.all('rd-dir001'))).map((c) => c.name).sort();
      assert.deepEqual(names, Array.from({ length: 21 }, (_, n) => `number${n}`).sort());
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          write(async (tx) => {
            if (!(await tx.accounts.byId('1000000000000077'))) await tx.accounts.insert(account('1000000000000077', null, 'once', T0, null));
          }, { accounts: i % 2 ? ['1000000000000077', '1000000000000078'] : ['1000000000000078', '1000000000000077'] }),
        ),
      );
      assert.equal((await read((tx) => tx.accounts.byId('1000000000000077')))?.displayName, 'once');
    });

    it('signature nonces: a nonce is fresh once until it expires, per AccessKeyId', async () => {
      assert.equal(await store().rememberNonce('key-a', 'n-1', T0 + 1_000, T0), true);
      assert.equal(await store().rememberNonce('key-a', 'n-1', T0 + 1_500, T0 + 500), false);
      assert.equal(await store().rememberNonce('key-b', 'n-1', T0 + 1_000, T0), true);
      assert.equal(await store().rememberNonce('key-a', 'n-1', T0 + 3_000, T0 + 1_000), true, 'expired: fresh again');
      assert.equal(await store().rememberNonce('key-a', 'n-1', T0 + 3_000, T0 + 2_999), false);
    });

    it('signature nonces asked at once: each distinct nonce is fresh exactly once, its repeats are replays', async () => {
      // 300 requests in flight, 100 nonces each sent three times (the SQLite store writes such
      // a crowd as one group; a repeat inside one group must still be a replay).
      const asked = Array.from({ length: 300 }, (_, i) => ({ key: i % 7 === 0 ? 'key-b' : 'key-a', nonce: `crowd-${i % 100}-${i % 7 === 0 ? 'b' : 'a'}` }));
      const answers = await Promise.all(asked.map((a) => store().rememberNonce(a.key, a.nonce, T0 + 1_000, T0)));
      const freshBy = new Map<string, number>();
      asked.forEach((a, i) => freshBy.set(`${a.key} ${a.nonce}`, (freshBy.get(`${a.key} ${a.nonce}`) ?? 0) + (answers[i] ? 1 : 0)));
      assert.ok(freshBy.size > 100, 'the crowd holds more than 100 distinct (key, nonce) pairs');
      assert.deepEqual([...freshBy.values()].filter((n) => n !== 1), []);
      // And every one of them is remembered afterwards.
      for (const a of asked.slice(0, 20)) assert.equal(await store().rememberNonce(a.key, a.nonce, T0 + 1_500, T0 + 500), false);
    });

    it('wipe leaves the state of a fresh database, but keeps the signature nonces (a reset must not reopen replays)', async () => {
      await write(async (tx) => {
        await rootDirectory(tx);
        await tx.contacts.insert(contact('c-1', 'one'));
        await tx.jobs.insert(job());
        await tx.accounts.insert(account('1000000000000001', 'r-root01', 'member'));
        await tx.messageCenters.setOwnerTypes('1000000000000001', ['FaultMessage']);
        await tx.messageCenters.upsertMany([{ accountId: '1000000000000001', contactId: 'c-1', source: 'Inherited', via: ['rd-dir001'], retained: null }]);
        await tx.verificationSends.record('someone@example.com', T0);
      });
      await store().rememberNonce('key-a', 'n-wipe', T0 + 1_000, T0);
      await store().wipe();
      await read(async (tx) => {
        assert.equal(await tx.directories.byId('rd-dir001'), null);
        assert.equal(await tx.contacts.count('rd-dir001'), 0);
        assert.deepEqual(await tx.jobs.list(10), []);
        assert.equal(await tx.accounts.byId('1000000000000001'), null);
        assert.equal(await tx.messageCenters.ownerTypes('1000000000000001'), null);
        assert.deepEqual(await tx.messageCenters.forAccount('1000000000000001'), []);
        assert.equal(await tx.verificationSends.countSince('someone@example.com', 0), 0);
      });
      assert.equal(await store().rememberNonce('key-a', 'n-wipe', T0 + 1_000, T0 + 1), false, 'the nonce outlived the wipe');
    });

    it('console sessions: by hash, touched, ended once; pruned when idle or too old; only the latest kept; a wipe keeps them', async () => {
      const session = (n: number, createdAt: number, lastSeenAt: number) => ({ secretHash: String(n).repeat(64), createdAt, lastSeenAt });
      const [one, two, three, four, five] = [session(1, T0, T0), session(2, T0, T0 + 500), session(3, T0 + 100, T0 + 900), session(4, T0 + 100, T0 + 1_000), session(5, T0 + 100, T0 + 800)];
      await write(async (tx) => {
        for (const s of [one, two, three]) await tx.consoleSessions.insert(s);
      });
      await store().wipe();
      await write((tx) => tx.consoleSessions.touch(one.secretHash, T0 + 50));
      await read(async (tx) => {
        assert.deepEqual(await tx.consoleSessions.byHash(one.secretHash), { ...one, lastSeenAt: T0 + 50 }, 'the session outlived the wipe');
        assert.equal(await tx.consoleSessions.byHash('0'.repeat(64)), null);
      });
      // Unused since before T0 + 100: one. Opened before T0 + 1: two (one is gone already).
      assert.equal(await write((tx) => tx.retention.pruneConsoleSessions(T0 + 100, T0 - 1, 10)), 1);
      assert.equal(await write((tx) => tx.retention.pruneConsoleSessions(T0 - 1, T0 + 1, 10)), 1);
      await write(async (tx) => {
        await tx.consoleSessions.insert(four);
        await tx.consoleSessions.insert(five);
      });
      // The two used last are four and three: five goes.
      assert.equal(await write((tx) => tx.consoleSessions.keepLatest(2)), 1);
      await read(async (tx) => {
        assert.deepEqual(await tx.consoleSessions.byHash(three.secretHash), three);
        assert.deepEqual(await tx.consoleSessions.byHash(four.secretHash), four);
        assert.equal(await tx.consoleSessions.byHash(five.secretHash), null);
      });
      assert.equal(await write((tx) => tx.consoleSessions.delete(three.secretHash)), true);
      assert.equal(await write((tx) => tx.consoleSessions.delete(three.secretHash)), false, 'ended once');
      assert.equal(await write((tx) => tx.consoleSessions.delete(four.secretHash)), true);
    });

    it('audit: the first write transaction of an audited write carries its record, a rolled-back one none; wipes keep the trail; pages newest first', async () => {
      const actor = `contract-${name}`;
      const entry = (requestId: string, at: number): AuditEntry => ({
        at, requestId, identityType: 'access-key', actor, accessKeyId: actor, accountId: '1000000000000001', peer: '127.0.0.1',
        action: 'AddMessageContact', targets: ['c-1', "it's"], status: 200, code: '',
      });
      const lock: WriteLock = { nothing: 'audit contract' };
      const failing = new AuditScope(entry('R-FAILED', T0));
      await assert.rejects(withinAudit(failing, () => store().transaction(lock, async () => Promise.reject(new Error('refused')))));
      assert.equal(failing.state, 'open');
      const scope = new AuditScope(entry('R-WRITTEN', T0 + 1));
      await withinAudit(scope, async () => {
        await store().transaction(lock, async (tx) => tx.jobs.insert(job()));
        await store().batch(lock, async (tx) => tx.jobs.insert(job()));
      });
      assert.equal(scope.state, 'written');
      await store().wipe();
      await store().writeOne((tx) => tx.audit.insert({ ...entry('R-ALONE', T0 + 2), status: 400, code: 'InvalidParameter', targets: [] }));
      await store().writeOne((tx) => tx.audit.settle(scope.stored!.seq, 503, 'ServiceUnavailable'));
      const before = { at: Number.MAX_SAFE_INTEGER, seq: 0 };
      const query = { from: 0, before, action: null, actor, target: null, failed: null, limit: 10 };
      const listed = await store().readOne((tx) => tx.audit.list(query));
      assert.deepEqual(listed.map((r) => [r.requestId, r.targets, r.status, r.code]), [
        ['R-ALONE', [], 400, 'InvalidParameter'],
        ['R-WRITTEN', ['c-1', "it's"], 503, 'ServiceUnavailable'],
      ]);
      const byTarget = await store().readOne((tx) => tx.audit.list({ ...query, actor: null, target: "it's" }));
      assert.deepEqual(byTarget.map((r) => r.requestId), ['R-WRITTEN']);
      const after = await store().readOne((tx) => tx.audit.list({ ...query, before: { at: listed[0]!.at, seq: listed[0]!.seq } }));
      assert.deepEqual(after.map((r) => r.requestId), ['R-WRITTEN']);
    });

    // A single-process store wakes its own worker: the capability test above checks it offers none.
    it('listenForJobs: a job committed through another connection wakes the listener', async (t) => {
      if (!store().listenForJobs) return t.skip('a single-process store');
      {
        const other = await another();
        let wake!: () => void;
        const woken = new Promise<void>((resolve) => (wake = resolve));
        // Listening starts with one wake-up of its own, before anything was inserted: it does not count.
        let listening = false;
        const stop = await store().listenForJobs!(() => listening && wake());
        listening = true;
        try {
          await other.transaction({ nothing: 'a job row' }, (tx) => tx.jobs.insert(job()));
          await woken;
        } finally {
          await stop();
          await other.close();
        }
      }
    });
  });
}
