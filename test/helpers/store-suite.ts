import { after, before, describe, test, type TestContext } from 'node:test';
import type { Store, Tx, WriteLock } from '../../src/storage/store.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type Backend, type TestDatabase } from './database.js';

export interface StoreSuite {
  /** A storage test: skipped (loudly) without the database, else on a wiped store, after `seed`. */
  it(name: string, fn: (t: TestContext) => Promise<void>): void;
  /** A write transaction; tests write one at a time, so it takes no lock unless given one. */
  write<T>(fn: (tx: Tx) => Promise<T>, lock?: WriteLock): Promise<T>;
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  store(): Store;
  /** The suite's database (undefined when skipped): to open a second connection on it. */
  database(): TestDatabase | undefined;
}

/**
 * A storage suite on one backend: a database of its own for the whole suite, wiped before
 * each test. On PostgreSQL without a reachable server every test is skipped, and says why.
 */
export function storeSuite(backend: Backend, title: string, body: (suite: StoreSuite) => void, seed?: (tx: Tx) => Promise<void>) {
  describe(`${title} on ${backend}`, () => {
    let database: TestDatabase | undefined;
    let store: Store;
    let skipped: string | undefined;

    before(async () => {
      if (backend === 'postgres' && !(await postgresReachable())) {
        skipped = warnPostgresMissing(`the ${title} suite on PostgreSQL`);
        return;
      }
      database = await createTestDatabase(backend);
      store = await database.open();
    });
    after(async () => {
      await store?.close();
      await database?.drop();
    });

    body({
      it: (name, fn) =>
        test(name, async (t) => {
          if (skipped) return t.skip(skipped);
          await store.wipe();
          if (seed) await store.transaction({ nothing: 'test set-up' }, seed);
          await fn(t);
        }),
      write: (fn, lock = { nothing: 'each test writes alone' }) => store.transaction(lock, fn),
      read: (fn) => store.read(fn),
      store: () => store,
      database: () => database,
    });
  });
}
