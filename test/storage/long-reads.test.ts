import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AccountRecord } from '../../src/storage/records.js';
import { BudgetSpent, withinBudget } from '../../src/storage/request-budget.js';
import type { Store } from '../../src/storage/store.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type Backend, type TestDatabase } from '../helpers/database.js';

/**
 * Long reads and request budgets at the store (docs/operations.md, "Work per request"): a long
 * read on SQLite's one connection lets the work queued behind it run between its steps, a
 * write transaction never does, and a request whose budget is spent starts nothing.
 */
const T0 = 1_700_000_000_000;
const MEMBERS = 1_000;
const every = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
const heavy = { folderId: null, keyword: null, tags: every };

const member = (i: number): AccountRecord => ({
  id: String(1_000_000_000_001_000 + i),
  directoryId: 'rd-dir001',
  folderId: 'r-root01',
  accountName: `m${i}@example.com`,
  displayName: `Member ${i}`,
  type: 'ResourceAccount',
  joinMethod: 'created',
  joinTime: T0 + i,
  modifyTime: T0 + i,
});

async function tenant(store: Store): Promise<void> {
  await store.transaction({ nothing: 'test set-up' }, async (tx) => {
    await tx.directories.insert({ id: 'rd-dir001', masterAccountId: '1000000000000001', masterAccountName: 'm@example.com', rootFolderId: 'r-root01', createTime: T0 });
    await tx.folders.insert({ id: 'r-root01', directoryId: 'rd-dir001', parentId: null, name: 'root', depth: 0, createTime: T0 });
    const accounts = Array.from({ length: MEMBERS }, (_, i) => member(i));
    await tx.accounts.insertMany(accounts);
    await tx.tags.put(accounts.flatMap((a) => every.map((t) => ({ directoryId: 'rd-dir001', resourceType: 'Account' as const, resourceId: a.id, ...t }))));
  });
}

/** Runs `first` and `second` as queued in that order; answers the order they finished in. */
async function finishOrder(first: () => Promise<unknown>, second: () => Promise<unknown>): Promise<string[]> {
  const order: string[] = [];
  await Promise.all([first().then(() => order.push('first')), second().then(() => order.push('second'))]);
  return order;
}

describe('long reads on SQLite', () => {
  let database: TestDatabase;
  let store: Store;
  before(async () => {
    database = await createTestDatabase('sqlite');
    store = await database.open();
    await tenant(store);
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  test('a filtered list of many accounts lets a read queued behind it run before it ends', async () => {
    const order = await finishOrder(
      () => store.read((tx) => tx.accounts.count('rd-dir001', heavy)),
      () => store.read((tx) => tx.directories.byMasterAccount('1000000000000001')),
    );
    // Before: the count held the one connection from its first row to its last.
    assert.deepEqual(order, ['second', 'first']);
    assert.equal(await store.read((tx) => tx.accounts.count('rd-dir001', heavy)), MEMBERS);
  });

  test('the same list inside a write transaction keeps the connection to its end', async () => {
    const order = await finishOrder(
      () => store.transaction({ nothing: 'a test of atomicity' }, (tx) => tx.accounts.count('rd-dir001', heavy)),
      () => store.read((tx) => tx.directories.byMasterAccount('1000000000000001')),
    );
    assert.deepEqual(order, ['first', 'second']);
  });
});

for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  describe(`request budgets on ${backend}`, () => {
    let database: TestDatabase | undefined;
    let store: Store;
    let skipped: string | undefined;
    before(async () => {
      if (backend === 'postgres' && !(await postgresReachable())) {
        skipped = warnPostgresMissing('the request budget checks on PostgreSQL');
        return;
      }
      database = await createTestDatabase(backend);
      store = await database.open();
      await tenant(store);
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    test('a read for a client that has left, or past its deadline, does not start', async (t) => {
      if (skipped) return t.skip(skipped);
      const gone = new AbortController();
      gone.abort();
      const read = () => store.read((tx) => tx.accounts.count('rd-dir001', heavy));
      await assert.rejects(withinBudget({ endsAt: Number.POSITIVE_INFINITY, signal: gone.signal }, read), (err) => err instanceof BudgetSpent && err.reason === 'abandoned');
      await assert.rejects(withinBudget({ endsAt: 0, signal: new AbortController().signal }, read), (err) => err instanceof BudgetSpent && err.reason === 'deadline');
      // Outside a request nothing is cut, and nothing was left held.
      assert.equal(await read(), MEMBERS);
    });
  });
}
