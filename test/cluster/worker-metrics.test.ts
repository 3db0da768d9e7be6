import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { openApiCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { sample, scrape } from '../helpers/prometheus.js';
import { ACCESS_KEYS_ENV } from '../helpers/server.js';

const TOKEN = 'worker-metrics-token';

/**
 * An API node that runs no jobs and an `rdmc worker` on one PostgreSQL database, each a
 * process of its own: the e-mail the worker sends is counted on the worker's own
 * /_rdmc/metrics (read by a Prometheus text-format parser), which answers on the worker's
 * port with the admin API's access rule; the cluster gauges read the same on both nodes.
 */
describe('metrics of a worker node', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  const smtp = new SmtpInbox();
  let api: ServerProcess | undefined;
  let worker: ServerProcess | undefined;

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the worker metrics tests');
      return;
    }
    database = await createTestDatabase('postgres');
    const env = {
      RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV,
      RDMC_ADMIN_TOKEN: TOKEN,
      RDMC_SMTP_URL: `smtp://127.0.0.1:${await smtp.start()}`,
      RDMC_METRICS_CACHE_MS: '100',
    };
    const flags = ['--db', database.db, '--pg-pool-size', '3', '--async-mode', 'delay', '--async-delay-ms', '0', '--log-level', 'info'];
    api = await spawnServer([...flags, '--no-worker'], env);
    worker = await spawnServer(flags, env, 'worker');
  });
  after(async () => {
    await worker?.kill();
    await api?.kill();
    await database?.drop();
    await smtp.stop();
  });

  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(name, async (t) => (skipped ? t.skip(skipped) : fn(t)));

  it("the worker's endpoint counts the e-mail it sent; the API node's does not", async () => {
    const call = openApiCore(api!.url);
    const contactId = await addContact(call, { Name: 'scraped', EmailAddress: 'scraped@example.com', Title: 'CEO', MessageTypes: ['SecurityMessage'] });
    await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'scraped@example.com' });
    await eventually('the e-mail', () => smtp.to('scraped@example.com').length === 1);

    const sent = await eventually('the send counted on the worker', async () => {
      const families = await scrape(worker!.url, TOKEN);
      return sample(families, 'rdmc_jobs_total', { kind: 'delivery.send', outcome: 'done' }) === 1 ? families : null;
    });
    assert.deepEqual(
      { role: sent.get('rdmc_build_info')!.metrics[0]!.labels?.role, store: sent.get('rdmc_build_info')!.metrics[0]!.labels?.store },
      { role: 'worker', store: 'postgres' },
    );
    assert.equal(sample(sent, 'rdmc_store_connections_max'), 3);
    assert.ok(sent.has('process_cpu_seconds_total'));
    // A worker answers no RPC: it has no request series.
    assert.equal(sent.get('rdmc_rpc_requests_total')!.metrics.length, 0);

    const onApi = await scrape(api!.url, TOKEN);
    assert.equal(sample(onApi, 'rdmc_jobs_total', { kind: 'delivery.send' }), undefined, 'the API node ran no job');
    assert.equal(sample(onApi, 'rdmc_build_info'), 1);
    assert.equal(onApi.get('rdmc_build_info')!.metrics[0]!.labels?.role, 'api');

    // The cluster gauges describe the one database, whichever node is asked.
    for (const url of [api!.url, worker!.url]) {
      const families = await eventually('the outbox read as sent', async () => {
        const f = await scrape(url, TOKEN);
        return sample(f, 'rdmc_cluster_deliveries', { channel: 'email', state: 'pending' }) === 0 ? f : null;
      });
      assert.equal(sample(families, 'rdmc_cluster_jobs', { kind: 'delivery.send', state: 'pending' }), 0);
      assert.equal(sample(families, 'rdmc_cluster_up'), 1);
    }
  });

  it("the worker's metrics want the token, its probes do not", async () => {
    assert.equal((await fetch(`${worker!.url}/_rdmc/metrics`)).status, 401);
    assert.equal((await fetch(`${worker!.url}/_rdmc/health/live`)).status, 200);
    assert.equal((await fetch(`${worker!.url}/_rdmc/health/ready`)).status, 200);
    // Nothing else of the admin API is served there.
    assert.equal((await fetch(`${worker!.url}/_rdmc/outbox`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
  });
});
