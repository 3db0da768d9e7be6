import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { send, v1Request } from '../helpers/raw.js';
import { begin } from '../helpers/socket.js';
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
  proc = await spawnServer(['--db', database.db, '--log-level', 'info'], { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV });
  return proc;
};

/** A signed CreateFolder, split into the head (sent first) and the form body (sent when the test says). */
function createFolder(name: string) {
  const req = v1Request({ action: 'CreateFolder', method: 'POST', params: { FolderName: name } });
  const body = String(req.body);
  const head = `POST / HTTP/1.1\r\nHost: rdmc\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}`;
  return { head, body };
}

test('SIGTERM during a burst of writes: requests in flight are answered and committed, later ones are not accepted, never a 500', async () => {
  const first = await start();
  const names = Array.from({ length: 40 }, (_, i) => `burst${i}`);
  // Every request of the burst is in flight (the server has its head) before the signal...
  const inFlight = await Promise.all(
    names.map(async (name) => {
      const { head, body } = createFolder(name);
      return { body, begun: await begin(first.url, head) };
    }),
  );
  const shuttingDown = new Promise<void>((resolve) => {
    const check = () => /shutting down/.test(first.output()) && resolve();
    first.child.stdout!.on('data', check);
    first.child.stderr!.on('data', check);
  });
  const exited = first.kill('SIGTERM');
  // ...and sends its body once the server has begun to shut down.
  await shuttingDown;
  const answers = await Promise.all(inFlight.map((r) => r.begun.finish(r.body)));
  await exited;
  assert.equal(first.child.exitCode, 0, first.output());
  assert.deepEqual(
    answers.map((a) => [a?.status, a?.json?.Code]),
    names.map(() => [200, undefined]),
  );
  // A request after the signal finds no one listening: not accepted, nothing half done.
  await assert.rejects(send(first.url, v1Request({ action: 'GetResourceDirectory' })), /ECONNREFUSED/);

  const second = await start();
  const root = (await send(second.url, v1Request({ action: 'GetResourceDirectory' }))).json!.ResourceDirectory.RootFolderId;
  const listed = await send(second.url, v1Request({ action: 'ListFoldersForParent', params: { ParentFolderId: root, PageSize: '100' } }));
  assert.deepEqual(listed.json!.Folders.Folder.map((f: any) => f.FolderName).sort(), [...names].sort());
  await second.kill('SIGTERM');
});

test('SIGINT with a request held in flight says how many it waits for; a second SIGINT exits at once, non-zero', async () => {
  // A grace period longer than any test: only the second signal can end this wait.
  const server = (proc = await spawnServer(['--db', database.db, '--log-level', 'info'], { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, RDMC_SHUTDOWN_GRACE_MS: '600000' }));
  // The server has this request in hand, and its body never comes.
  await begin(server.url, createFolder('held').head);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })));
  server.child.kill('SIGINT');
  const waiting = await eventually('the record of the wait', () => /\{[^\n]*"msg":"waiting for 1 request in flight[^\n]*\}/.exec(server.output()));
  const record = JSON.parse(waiting[0]) as Record<string, unknown>;
  assert.deepEqual([record.level, record.requests, record.graceMs], [30, 1, 600_000]);
  server.child.kill('SIGINT');
  assert.deepEqual(await exited, { code: 130, signal: null });
  assert.match(server.output(), /"msg":"second SIGINT: exiting now, cutting 1 request in flight"/);
});
