import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessKey, ConfigInput } from '../../src/config/schema.js';
import { startServer, type Overrides, type RunningServer } from '../../src/server.js';

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
  dir: string;
  dbPath: string;
  /** Stops the server and deletes its database folder. */
  stop(): Promise<void>;
  /** Stops the server, keeping the database, and starts a new one on the same file. */
  restart(extra?: Partial<ConfigInput>): Promise<TestServer>;
}

/**
 * A real rdmc on port 0 with its own SQLite file in a fresh temporary folder. `other` gets
 * a directory of its own too (tests of tenant isolation enable it with EnableResourceDirectory).
 */
export async function startTestServer(extra: Partial<ConfigInput> = {}, overrides: Overrides = {}, dir?: string): Promise<TestServer> {
  const folder = dir ?? (await mkdtemp(join(tmpdir(), 'rdmc-test-')));
  const dbPath = join(folder, 'rdmc.sqlite');
  const config: ConfigInput = {
    host: '127.0.0.1',
    port: 0,
    db: dbPath,
    accessKeys: Object.values(KEYS).map((k) => ({ ...k })),
    asyncMode: 'immediate',
    logLevel: 'silent',
    ...extra,
  };
  const server = await startServer(config, overrides);
  const test: TestServer = Object.assign(server, {
    dir: folder,
    dbPath,
    async stop() {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    },
    async restart(more: Partial<ConfigInput> = {}) {
      await server.close();
      return startTestServer({ ...extra, ...more }, overrides, folder);
    },
  });
  return test;
}
