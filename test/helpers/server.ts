import type { AccessKey, ConfigInput } from '../../src/config/schema.js';
import { startServer, type Overrides, type RunningServer } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** Keys every test server knows: `main` owns a bootstrapped directory, `other` a second tenant, `bare` none. */
export const KEYS = {
  main: { accessKeyId: 'testMainKey', accessKeySecret: 'testMainSecret', accountId: '1111111111111111' },
  other: { accessKeyId: 'testOtherKey', accessKeySecret: 'testOtherSecret', accountId: '2222222222222222' },
  bare: { accessKeyId: 'testBareKey', accessKeySecret: 'testBareSecret', accountId: '3333333333333333' },
} as const;
/** Any key a client can sign with: one of KEYS, or a key the server does not know. */
export type TestKey = Readonly<AccessKey>;

export const ACCESS_KEYS_ENV = Object.values(KEYS)
  .map((k) => `${k.accessKeyId}:${k.accessKeySecret}:${k.accountId}`)
  .join(',');

export interface TestServer extends RunningServer {
  database: TestDatabase;
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
  const test: TestServer = Object.assign(server, {
    database,
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
