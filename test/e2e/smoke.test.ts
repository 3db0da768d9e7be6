import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allClients, failure, popCore } from '../helpers/clients.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

test('every client reads the bootstrapped directory', async () => {
  for (const [name, call] of Object.entries(allClients(server.url))) {
    const body = await call('GetResourceDirectory');
    assert.equal(body.ResourceDirectory.MasterAccountId, '1111111111111111', name);
  }
});

test('a failure carries status, code and message', async () => {
  const f = await failure(popCore(server.url)('GetMessageContact', { ContactId: 'c-0000000000000000' }));
  assert.equal(f.code, 'EntityNotExists.Contact');
});
