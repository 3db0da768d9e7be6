import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hostOf, send, v1Request, v3Request } from '../helpers/raw.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A captured signed request is refused as a replay for its whole window, restarts included. */
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
