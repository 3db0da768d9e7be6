import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { adminClient } from '../helpers/admin.js';
import { TEST_BACKEND } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { spawnServer } from '../helpers/process.js';
import { ACCESS_KEYS_ENV, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * `GET /_rdmc/backup` streams a temporary copy of the SQLite file: a reader that stalls is cut
 * off and its copy removed, a reader that leaves is no error, and copies a killed process left
 * behind are removed when rdmc starts again (those of live processes are not).
 */

const skip = TEST_BACKEND !== 'sqlite' && 'backups are of SQLite files';

// The temporary directory of this test file's own: rdmc keeps its copies under <tmp>/rdmc-scratch.
const temp = await mkdtemp(join(tmpdir(), 'rdmc-backups-'));
process.env.TMPDIR = temp;
const scratch = join(temp, 'rdmc-scratch');
const copies = async () => (await readdir(scratch).catch(() => [] as string[])).sort();

let server: TestServer;
const logged: string[] = [];
before(async () => {
  if (skip) return;
  const sink = new Writable({ write: (chunk, _enc, done) => done(void logged.push(String(chunk))) });
  server = await startTestServer({ downloadStallMs: 1_000 }, { logger: pino({ level: 'info' }, sink) });
  // A database larger than what the kernel buffers for a socket that nobody reads.
  await adminClient(server.url).post('/seed', { Accounts: 60_000 });
});
after(async () => {
  await server?.stop();
  await rm(temp, { recursive: true, force: true });
});

/** Sends a backup request and resolves once the answer's headers are in; the body is the test's to read or not. */
function backupRequest(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      assert.match(chunk.toString('latin1'), /^HTTP\/1\.1 200 OK\r\n/);
      resolve(socket);
    });
    socket.write(`GET /_rdmc/backup HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  });
}

test('a reader that takes nothing is cut off after RDMC_DOWNLOAD_STALL_MS and its copy removed', { skip }, async () => {
  const socket = await backupRequest(server.url);
  socket.pause();
  assert.equal((await copies()).length, 1, 'the copy is there while the download runs');
  // Bounded (30 s), so that the old behaviour, a copy held for as long as the socket stays open, fails.
  await eventually('the stalled download to be cut off and its copy removed', async () => (await copies()).length === 0);
  // The reader, reading again, finds the connection closed (a paused socket sees no close).
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.resume();
  await closed;
});

test('a reader that hangs up mid-download is no error: nothing about headers is logged, and the copy goes', { skip }, async () => {
  logged.length = 0;
  const socket = await backupRequest(server.url);
  socket.destroy();
  await eventually('the copy to be removed', async () => (await copies()).length === 0);
  await eventually('the cut-off download to be logged', () => logged.some((line) => line.includes('download cut off')));
  assert.ok(!logged.some((line) => /Cannot write headers|ERR_HTTP_HEADERS_SENT|unexpected admin error/.test(line)), logged.join(''));
});

test("copies left by a process killed mid-download are removed at start; a live process's copies stay", { skip }, async () => {
  const db = join(temp, 'killed.sqlite');
  const env = { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, TMPDIR: temp, RDMC_LOG_LEVEL: 'info' };
  const live = join(scratch, `${process.pid}-live`);
  await mkdir(live, { recursive: true });
  const first = await spawnServer(['--db', db], env);
  try {
    await adminClient(first.url).post('/seed', { Accounts: 60_000 });
    const socket = await backupRequest(first.url);
    socket.pause();
    const left = (await copies()).filter((name) => name.startsWith(`${first.child.pid}-`));
    assert.equal(left.length, 1);
    await first.kill('SIGKILL');
    socket.destroy();
    assert.deepEqual(await copies(), [`${process.pid}-live`, left[0]].sort(), 'kill -9 ran no cleanup');
  } finally {
    await first.kill('SIGKILL');
  }
  const second = await spawnServer(['--db', db], env);
  try {
    assert.deepEqual(await copies(), [`${process.pid}-live`]);
  } finally {
    await second.kill();
    await rm(live, { recursive: true, force: true });
  }
});
