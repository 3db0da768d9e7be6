import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startWorker } from '../../src/server.js';

/** Liveness and readiness: what a load balancer or supervisor asks, with no token and from any address. */
describe('probes', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: 'let-me-in' });
  });
  after(() => server.stop());

  const get = (url: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { headers }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown>, cache: r.headers.get('cache-control') }));

  test('answer without the admin token, from a forwarded peer and a foreign Host too', async () => {
    const variants: Array<Record<string, string>> = [{}, { 'x-forwarded-for': '203.0.113.9', host: 'rdmc.example.com' }];
    for (const headers of variants) {
      const live = await get(server.url, '/_rdmc/health/live', headers);
      assert.deepEqual([live.status, live.body.Status, live.cache], [200, 'live', 'no-store']);
      const ready = await get(server.url, '/_rdmc/health/ready', headers);
      assert.deepEqual([ready.status, ready.body.Status], [200, 'ready']);
      // Nothing but the status: no versions, addresses or request details.
      assert.deepEqual(Object.keys(ready.body).sort(), ['Status']);
    }
    // The authenticated health check still wants the token.
    assert.equal((await fetch(`${server.url}/_rdmc/health`)).status, 401);
  });

  test('refuse writes', async () => {
    const r = await fetch(`${server.url}/_rdmc/health/ready`, { method: 'POST' });
    assert.equal(r.status, 405);
  });

  test('readiness says unavailable once the store is gone, liveness still answers', async () => {
    const other = await startTestServer();
    try {
      await other.store.close();
      const ready = await get(other.url, '/_rdmc/health/ready');
      assert.deepEqual([ready.status, ready.body.Status], [503, 'unavailable']);
      assert.equal((await get(other.url, '/_rdmc/health/live')).status, 200);
    } finally {
      await other.stop();
    }
  });

  test('a worker node serves both probes', async () => {
    if (server.database.backend !== 'postgres') return;
    const worker = await startWorker({ host: '127.0.0.1', port: 0, db: server.database.db, pgPoolSize: 2, logLevel: 'silent' });
    try {
      assert.equal((await get(worker.url, '/_rdmc/health/live')).status, 200);
      assert.equal((await get(worker.url, '/_rdmc/health/ready')).status, 200);
    } finally {
      await worker.close();
    }
  });
});
