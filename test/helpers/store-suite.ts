import { after, before, describe, test, type TestContext } from 'node:test';
import type { Store, Tx, WriteLock } from '../../src/storage/store.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type Backend } from './database.js';

/** A fresh database for one suite, opened as often as asked; or why the backend cannot run here. */
export type MakeDatabase = () => Promise<{ open(): Promise<Store>; drop(): Promise<void> } | string>;

/** rdmc's own backends: a SQLite file, or a PostgreSQL database (the suite skipped, loudly, where none answers). */
export function testDatabase(backend: Backend, title: string): MakeDatabase {
  return async () => {
    if (backend === 'postgres' && !(await postgresReachable())) return warnPostgresMissing(`the ${title} suite on PostgreSQL`);
    return createTestDatabase(backend);
  };
}

export interface StoreSuite {
  /** A storage test: skipped (loudly) without the database, else on a wiped store, after `seed`. */
  it(name: string, fn: (t: TestContext) => Promise<void>): void;
  write<T>(fn: (tx: Tx) => Promise<T>, lock?: WriteLock): Promise<T>;
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  store(): Store;
  /** A second store on the same database (another process's view); the caller closes it. */
  another(): Promise<Store>;
}

/**
 * A storage suite: a database of its own for the whole suite, wiped before each test.
 * Where the database cannot be had, every test is skipped, and says why.
 */
export function storeSuite(title: string, make: MakeDatabase, body: (suite: StoreSuite) => void, seed?: (tx: Tx) => Promise<void>) {
  describe(title, () => {
    let database: Exclude<Awaited<ReturnType<MakeDatabase>>, string> | undefined;
    let store: Store;
    let skipped: string | undefined;

    before(async () => {
      const made = await make();
      if (typeof made === 'string') {
        skipped = made;
        return;
      }
      database = made;
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
      another: () => database!.open(),
    });
  });
}
