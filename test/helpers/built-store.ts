import type { TestContext } from 'node:test';
import type { Store } from '../../src/storage/store.js';
import { popCore, type Call } from './clients.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type Backend } from './database.js';
import { KEYS, startTestServer } from './server.js';

/**
 * A directory built through a real server on `backend` by main's key (`build`), then the
 * server closed and its database opened as a store for a service under test (`inspect`);
 * everything is closed and dropped afterwards. Skipped, loudly, without PostgreSQL.
 */
export async function withBuiltStore<T>(
  t: TestContext,
  backend: Backend,
  what: string,
  build: (call: Call) => Promise<T>,
  inspect: (store: Store, built: T) => Promise<void>,
): Promise<void> {
  if (backend === 'postgres' && !(await postgresReachable())) return void t.skip(warnPostgresMissing(what));
  const server = await startTestServer({}, {}, await createTestDatabase(backend));
  let store: Store | undefined;
  let serving = true;
  try {
    const built = await build(popCore(server.url, KEYS.main, 'POST'));
    await server.close();
    serving = false;
    store = await server.database.open();
    await inspect(store, built);
  } finally {
    if (serving) await server.close();
    await store?.close();
    await server.database.drop();
  }
}
