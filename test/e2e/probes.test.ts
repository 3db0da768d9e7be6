import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execSql } from '../helpers/database.js';
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

  /** A version no release has: what a newer release's migration leaves in the record. */
  const NEWER = 9999;

  test('readiness says schema-newer for a database a newer release migrated, and the health check says which migrations', async () => {
    const other = await startTestServer({ adminToken: 'let-me-in' });
    let restarted: TestServer | undefined;
    try {
      await other.close();
      // As a newer release would have left it, then this release started on it (a downgrade).
      await execSql(other.database, `INSERT INTO schema_migrations (version, applied_at) VALUES (${NEWER}, 0)`);
      restarted = await other.restart();
      const ready = await get(restarted.url, '/_rdmc/health/ready');
      assert.deepEqual([ready.status, ready.body], [503, { Status: 'unavailable', Reason: 'schema-newer' }]);
      assert.equal((await get(restarted.url, '/_rdmc/health/live')).status, 200);
      const health = await get(restarted.url, '/_rdmc/health', { authorization: 'Bearer let-me-in' });
      assert.equal(health.status, 503);
      assert.equal(health.body.Code, 'ServiceUnavailable');
      assert.match(String(health.body.Message), new RegExp(`migrations this release does not know \\(${NEWER}\\)`));
    } finally {
      await (restarted ?? other).stop();
    }
  });

  test('readiness says schema-older for a PostgreSQL database whose schema went back under a running node', async () => {
    // SQLite cannot: the file is migrated when it opens and no other process may open it meanwhile.
    if (server.database.backend !== 'postgres') return;
    const other = await startTestServer();
    try {
      assert.equal((await get(other.url, '/_rdmc/health/ready')).status, 200);
      // As after restoring a backup of an older release under running nodes.
      await execSql(other.database, 'DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)');
      const ready = await get(other.url, '/_rdmc/health/ready');
      assert.deepEqual([ready.status, ready.body], [503, { Status: 'unavailable', Reason: 'schema-older' }]);
    } finally {
      await other.stop();
    }
  });
});
