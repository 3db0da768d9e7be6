import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

test('GET /_rdmc and any unknown path under it answer the admin 404, not the RPC envelope', async () => {
  for (const path of ['/_rdmc', '/_rdmc/', '/_rdmc/nope', '/_rdmc?Action=GetResourceDirectory']) {
    const res = await fetch(new URL(path, server.url));
    assert.equal(res.status, 404, path);
    const body = (await res.json()) as Record<string, unknown>;
    const route = path.split('?')[0];
    assert.deepEqual({ Code: body.Code, Message: body.Message }, { Code: 'NotFound', Message: `No admin route ${route}.` }, path);
    // The admin envelope: no product troubleshooting link, which only RPC errors carry.
    assert.equal('Recommend' in body, false, path);
    assert.equal(typeof body.RequestId, 'string');
  }
});
