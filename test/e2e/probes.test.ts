import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { execSql } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startWorker } from '../../src/server.js';
import { MIGRATION_VERSIONS } from '../../src/storage/migrations/index.js';
import { cleanEnv, CLI, start } from '../helpers/spawn.js';

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

  /** A version this release does not have: what a newer release's migration leaves in the record. */
  const NEWER = MIGRATION_VERSIONS.length + 1;
  const newerRecord = `INSERT INTO schema_versions (version, name, applied_at) VALUES (${NEWER}, 'from_a_newer_release', 0)`;

  test('a node refuses to start on a database a newer release migrated, and says what to do', async () => {
    const other = await startTestServer();
    await other.close();
    try {
      // As a newer release would have left it, then this release started on it (a downgrade).
      await execSql(other.database, newerRecord);
      const refused = await other.restart().then(
        (s) => s.close().then(() => null),
        (err: unknown) => err,
      );
      assert.ok(refused instanceof Error, 'the start was refused');
      assert.match(refused.message, new RegExp(`migrated by a newer release of rdmc: it holds schema versions ${NEWER}, and this release knows versions 1 to ${NEWER - 1}; run the newer release`));
      if (other.database.backend !== 'sqlite') return;
      // The command line says the same, once, and exits 1.
      const cli = start(process.execPath, [CLI, 'serve', '--db', other.database.db, '--port', '0'], { env: cleanEnv() });
      const { code } = await cli.exited;
      assert.equal(code, 1);
      assert.match(cli.stderr(), /^rdmc: failed to start: the database was migrated by a newer release of rdmc/m);
    } finally {
      await other.database.drop();
    }
  });

  test('readiness says schema-newer for a PostgreSQL database a newer release migrated under a running node', async () => {
    // SQLite cannot: the file is migrated when it opens and no other process may open it meanwhile.
    if (server.database.backend !== 'postgres') return;
    const other = await startTestServer({ adminToken: 'let-me-in' });
    try {
      assert.equal((await get(other.url, '/_rdmc/health/ready')).status, 200);
      await execSql(other.database, newerRecord);
      const ready = await get(other.url, '/_rdmc/health/ready');
      assert.deepEqual([ready.status, ready.body], [503, { Status: 'unavailable', Reason: 'schema-newer' }]);
      assert.equal((await get(other.url, '/_rdmc/health/live')).status, 200);
      const health = await get(other.url, '/_rdmc/health', { authorization: 'Bearer let-me-in' });
      assert.equal(health.status, 503);
      assert.equal(health.body.Code, 'ServiceUnavailable');
      assert.match(String(health.body.Message), new RegExp(`migrations this release does not know \\(${NEWER}\\)`));
    } finally {
      await other.stop();
    }
  });

  test('readiness says schema-older for a PostgreSQL database whose schema went back under a running node', async () => {
    // SQLite cannot: the file is migrated when it opens and no other process may open it meanwhile.
    if (server.database.backend !== 'postgres') return;
    const other = await startTestServer();
    try {
      assert.equal((await get(other.url, '/_rdmc/health/ready')).status, 200);
      // As after restoring a backup of an older release under running nodes.
      await execSql(other.database, 'DELETE FROM schema_versions WHERE version = (SELECT max(version) FROM schema_versions)');
      const ready = await get(other.url, '/_rdmc/health/ready');
      assert.deepEqual([ready.status, ready.body], [503, { Status: 'unavailable', Reason: 'schema-older' }]);
    } finally {
      await other.stop();
    }
  });
});
