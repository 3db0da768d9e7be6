import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { createTestDatabase } from '../helpers/database.js';
import { spawnServer } from '../helpers/process.js';
import { hostOf, send, v1Request, v3Request } from '../helpers/raw.js';
import { ACCESS_KEYS_ENV, startTestServer, type TestServer } from '../helpers/server.js';

/** A captured signed request is refused as a replay for its whole window, restarts, resets and imports included. */
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

test('a signed write replayed after a restart is refused, and nothing is written twice', async () => {
  const write = v1Request({
    action: 'AddMessageContact',
    method: 'POST',
    params: { Name: 'replayed', EmailAddress: 'replayed@example.com', Title: 'CEO', 'MessageTypes.1': 'FaultMessage' },
  });
  const read = v3Request(hostOf(server.url), { action: 'ListMessageContacts' });
  assert.equal((await send(server.url, write)).status, 200);
  assert.equal((await send(server.url, read)).status, 200);

  server = await server.restart();
  for (const captured of [write, read]) {
    // Sent as captured: the v3 request keeps the Host header it signed.
    const again = await send(server.url, captured);
    assert.deepEqual([again.status, again.json?.Code], [400, 'SignatureNonceUsed']);
  }
  const list = await send(server.url, v1Request({ action: 'ListMessageContacts' }));
  assert.deepEqual(list.json?.Contacts.map((c: any) => c.Name), ['replayed']);
});

// Reset and import wipe the state, never the nonces: CI resets between tests, and a request
// captured before a reset is still within its 15-minute window after it.
test('a signed request replayed after POST /_rdmc/reset or PUT /_rdmc/state is refused', async () => {
  const admin = adminClient(server.url);
  const v1 = v1Request({ action: 'CreateFolder', method: 'POST', params: { FolderName: 'beforeReset' } });
  const v3 = v3Request(hostOf(server.url), { action: 'ListMessageContacts' });
  assert.equal((await send(server.url, v1)).status, 200);
  assert.equal((await send(server.url, v3)).status, 200);

  for (const wipe of [() => admin.post('/reset'), () => admin.put('/state', { Directories: [] })]) {
    await wipe();
    for (const captured of [v1, v3]) {
      const again = await send(server.url, captured);
      assert.deepEqual([again.status, again.json?.Code], [400, 'SignatureNonceUsed']);
    }
  }
  const folders = await send(server.url, v1Request({ action: 'ListFoldersForParent', params: { QueryKeyword: 'beforeReset' } }));
  assert.equal(folders.json?.TotalCount, 0, 'the replayed CreateFolder wrote nothing after the reset');
});

// SQLite commits nonces in groups without waiting for the disk: the operating system holds
// them, so a process killed outright has forgotten none.
test('a signed request replayed after the server was killed (SIGKILL) is refused', async () => {
  const database = await createTestDatabase();
  const spawn = () => spawnServer(['--db', database.db, '--log-level', 'info'], { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV });
  let proc = await spawn();
  try {
    // Several at once, so their nonces share one group commit.
    const captured = Array.from({ length: 8 }, (_, i) => v1Request({ action: 'CreateFolder', method: 'POST', params: { FolderName: `killed${String.fromCharCode(97 + i)}` } }));
    const first = await Promise.all(captured.map((r) => send(proc.url, r)));
    assert.deepEqual(first.map((r) => r.status), captured.map(() => 200));
    await proc.kill('SIGKILL');
    proc = await spawn();
    for (const r of captured) {
      const again = await send(proc.url, r);
      assert.deepEqual([again.status, again.json?.Code], [400, 'SignatureNonceUsed']);
    }
  } finally {
    await proc.kill('SIGKILL');
    await database.drop();
  }
});
