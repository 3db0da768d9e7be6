import type { ConfigInput } from '../../src/config/schema.js';
import type { Config } from '../../src/config/schema.js';
import { internals } from '../../src/facade/internals.js';
import { startServer, type Overrides, type RunningServer } from '../../src/server.js';
import type { Services } from '../../src/services/index.js';
import type { Store } from '../../src/storage/store.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { KEYS } from './keys.js';

export { ACCESS_KEYS_ENV, KEYS, type TestKey } from './keys.js';

export interface TestServer extends RunningServer {
  database: TestDatabase;
  /** The node's parts, which the package does not publish (src/facade/internals.ts). */
  config: Config;
  store: Store;
  services: Services;
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
  /** Stops the server, keeping the database, and starts a new one on it. */
  restart(extra?: Partial<ConfigInput>): Promise<TestServer>;
}

/**
 * A real rdmc on port 0 with a database of its own: a SQLite file in a fresh temporary
 * folder, or a fresh PostgreSQL database under RDMC_TEST_BACKEND=postgres. `other` gets a
 * directory of its own too (tests of tenant isolation enable it with EnableResourceDirectory).
 */
export async function startTestServer(extra: Partial<ConfigInput> = {}, overrides: Overrides = {}, existing?: TestDatabase): Promise<TestServer> {
  const database = existing ?? (await createTestDatabase());
  const config: ConfigInput = {
    host: '127.0.0.1',
    port: 0,
    db: database.db,
    pgPoolSize: 4,
    accessKeys: Object.values(KEYS).map((k) => ({ ...k })),
    asyncMode: 'immediate',
    logLevel: 'silent',
    ...extra,
  };
  const server = await startServer(config, overrides).catch(async (err) => {
    if (!existing) await database.drop();
    throw err;
  });
  const { config: resolved, store, services } = internals(server);
  const test: TestServer = Object.assign(server, {
    database,
    config: resolved,
    store,
    services,
    async stop() {
      await server.close();
      await database.drop();
    },
    async restart(more: Partial<ConfigInput> = {}) {
      await server.close();
      return startTestServer({ ...extra, ...more }, overrides, database);
    },
  });
  return test;
}
