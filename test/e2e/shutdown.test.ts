import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { send, v1Request } from '../helpers/raw.js';
import { ACCESS_KEYS_ENV } from '../helpers/server.js';

/**
 * SIGTERM in the middle of a burst of writes: the server stops accepting, lets what is in
 * flight finish, and only then closes its store. Every request either got its answer (and
 * what it wrote is there after a restart) or got none; none got a 500 from a closed store.
 */
let database: TestDatabase;
let proc: ServerProcess | undefined;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await proc?.kill('SIGKILL');
  await database.drop();
});

const start = async () => {
  proc = await spawnServer(['--db', database.db, '--log-level', 'warn'], { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV });
  return proc;
};

test('SIGTERM during a burst of writes: each request answered and committed, or not answered; never a 500', async () => {
  const first = await start();
  const names = Array.from({ length: 80 }, (_, i) => `burst${i}`);
  let answered = 0;
  let exited: Promise<void> | undefined;
  const outcomes = await Promise.all(
    names.map(async (name) => {
      try {
        const r = await send(first.url, v1Request({ action: 'CreateFolder', method: 'POST', params: { FolderName: name } }));
        // The signal goes out while most of the burst is still in flight.
        if (++answered === 5) exited = first.kill('SIGTERM');
        return { name, status: r.status, code: r.json?.Code as string | undefined };
      } catch {
        return { name, status: 0, code: undefined };
      }
    }),
  );
  await exited;
  assert.equal(first.child.exitCode, 0, first.output());
  assert.deepEqual(outcomes.filter((o) => o.status >= 500), []);
  assert.deepEqual(outcomes.filter((o) => o.status !== 0 && o.status !== 200), []);
  const ok = outcomes.filter((o) => o.status === 200).map((o) => o.name);
  assert.ok(ok.length >= 5, `answered: ${ok.length}`);

  const second = await start();
  const root = (await send(second.url, v1Request({ action: 'GetResourceDirectory' }))).json!.ResourceDirectory.RootFolderId;
  const listed = await send(second.url, v1Request({ action: 'ListFoldersForParent', params: { ParentFolderId: root, PageSize: '100' } }));
  const stored = new Set(listed.json!.Folders.Folder.map((f: any) => f.FolderName));
  for (const name of ok) assert.ok(stored.has(name), `${name} was answered 200 but is not stored`);
  await second.kill('SIGTERM');
});
