import assert from 'node:assert/strict';
import type { AccountRecord, DirectoryRecord } from '../../src/storage/records.js';
import type { Tx } from '../../src/storage/store.js';
import { leaveDirectory } from '../../src/services/members.js';
import { storeSuite, testDatabase } from '../helpers/store-suite.js';

/**
 * The storage contract of delegated administrators against a real SQLite file and a real
 * PostgreSQL database: lists by principal then account with the member's fields, counts per
 * service, a member's services by keyset, the enabled services with their earliest time, and
 * a member that leaves its directory taking its delegations along (src/services/members.ts).
 */
const T0 = 1_700_000_000_000;
const D: DirectoryRecord = { id: 'rd-dir001', masterAccountId: '1000000000000001', masterAccountName: 'm@example.com', rootFolderId: 'r-root01', createTime: T0 };
const OTHER: DirectoryRecord = { id: 'rd-dir002', masterAccountId: '1000000000000002', masterAccountName: 'o@example.com', rootFolderId: 'r-root02', createTime: T0 };

const member = (directory: DirectoryRecord, id: string, joinMethod: AccountRecord['joinMethod'] = 'created'): AccountRecord => ({
  id, directoryId: directory.id, folderId: directory.rootFolderId, accountName: `m${id}@example.com`, displayName: `member ${id}`,
  type: 'ResourceAccount', joinMethod, joinTime: T0, modifyTime: T0,
});
const A = member(D, '2000000000000001');
const B = member(D, '2000000000000002', 'invited');
const C = member(OTHER, '3000000000000001');

async function seed(tx: Tx) {
  for (const d of [D, OTHER]) {
    await tx.directories.insert(d);
    await tx.folders.insert({ id: d.rootFolderId, directoryId: d.id, parentId: null, name: 'root', depth: 0, createTime: T0 });
  }
  for (const a of [A, B, C]) await tx.accounts.insert(a);
  const delegations = [[A, 'ros.aliyuncs.com', 3], [A, 'config.aliyuncs.com', 1], [B, 'config.aliyuncs.com', 2], [C, 'config.aliyuncs.com', 0]] as const;
  for (const [a, servicePrincipal, at] of delegations) await tx.delegations.insert({ directoryId: a.directoryId!, servicePrincipal, accountId: a.id, enabledAt: T0 + at });
}

for (const backend of ['sqlite', 'postgres'] as const) {
  storeSuite(`delegated administrators on ${backend}`, testDatabase(backend, 'delegated administrators'), ({ it, write, read }) => {
    it('lists by principal then account, with the member fields; counts and pages per directory and service', async () => {
      const page = await read((tx) => tx.delegations.page(D.id, null, 0, 10));
      assert.deepEqual(page.map((d) => [d.servicePrincipal, d.accountId, d.displayName, d.joinMethod, d.enabledAt - T0]), [
        ['config.aliyuncs.com', A.id, A.displayName, 'created', 1],
        ['config.aliyuncs.com', B.id, B.displayName, 'invited', 2],
        ['ros.aliyuncs.com', A.id, A.displayName, 'created', 3],
      ]);
      assert.deepEqual((await read((tx) => tx.delegations.page(D.id, 'config.aliyuncs.com', 1, 1))).map((d) => d.accountId), [B.id]);
      assert.equal(await read((tx) => tx.delegations.count(D.id, null)), 3);
      assert.equal(await read((tx) => tx.delegations.count(D.id, 'config.aliyuncs.com')), 2);
      assert.equal(await read((tx) => tx.delegations.count(OTHER.id, null)), 1);
      assert.deepEqual(await read((tx) => tx.delegations.byKey(D.id, 'ros.aliyuncs.com', A.id)), { directoryId: D.id, servicePrincipal: 'ros.aliyuncs.com', accountId: A.id, enabledAt: T0 + 3 });
      assert.equal(await read((tx) => tx.delegations.byKey(OTHER.id, 'ros.aliyuncs.com', A.id)), null);
    });

    it("a member's services by keyset, within its own directory only; enabled services since their earliest delegation", async () => {
      assert.deepEqual((await read((tx) => tx.delegations.ofAccount(D.id, A.id, null, 1))).map((d) => d.servicePrincipal), ['config.aliyuncs.com']);
      assert.deepEqual((await read((tx) => tx.delegations.ofAccount(D.id, A.id, 'config.aliyuncs.com', 5))).map((d) => d.servicePrincipal), ['ros.aliyuncs.com']);
      assert.deepEqual(await read((tx) => tx.delegations.ofAccount(OTHER.id, A.id, null, 5)), []);
      const enabled = await read((tx) => tx.delegations.enabledServices(D.id, 0, 10));
      assert.deepEqual(enabled.map((s) => [s.servicePrincipal, s.enabledAt - T0]), [['config.aliyuncs.com', 1], ['ros.aliyuncs.com', 3]]);
      assert.equal(await read((tx) => tx.delegations.enabledServiceCount(D.id)), 2);
      assert.deepEqual((await read((tx) => tx.delegations.ofDirectory(D.id))).map((d) => `${d.servicePrincipal} ${d.accountId}`), [
        `config.aliyuncs.com ${A.id}`, `config.aliyuncs.com ${B.id}`, `ros.aliyuncs.com ${A.id}`,
      ]);
    });

    it('a member that leaves takes its delegations along; others stay', async () => {
      await write((tx) => leaveDirectory(tx, D, A), { directory: D.id });
      assert.deepEqual(await read((tx) => tx.delegations.ofAccount(D.id, A.id, null, 5)), []);
      assert.deepEqual((await read((tx) => tx.delegations.page(D.id, null, 0, 10))).map((d) => d.accountId), [B.id]);
      assert.equal(await write((tx) => tx.delegations.delete(D.id, 'config.aliyuncs.com', B.id), { directory: D.id }), true);
      assert.equal(await write((tx) => tx.delegations.delete(D.id, 'config.aliyuncs.com', B.id), { directory: D.id }), false);
      assert.equal(await read((tx) => tx.delegations.count(OTHER.id, null)), 1);
    });
  }, seed);
}
