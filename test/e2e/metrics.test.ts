import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact, uniqueName } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { sample, scrape, type MetricFamily } from '../helpers/prometheus.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { COUNT_CAP } from '../../src/observability/cluster-gauges.js';

const emailContact = (call: Call, EmailAddress: string) =>
  addContact(call, { Name: uniqueName('m'), EmailAddress, Title: 'CEO', MessageTypes: ['SecurityMessage'] });

/** The gauges a test follows, from one scrape. */
function queue(families: Map<string, MetricFamily>) {
  return {
    held: sample(families, 'rdmc_cluster_jobs', { kind: 'delivery.send', state: 'held' }),
    pending: sample(families, 'rdmc_cluster_jobs', { kind: 'delivery.send', state: 'pending' }),
    failed: sample(families, 'rdmc_cluster_jobs', { kind: 'delivery.send', state: 'failed' }),
    deliveriesPending: sample(families, 'rdmc_cluster_deliveries', { channel: 'email', state: 'pending' }),
    deliveriesFailed: sample(families, 'rdmc_cluster_deliveries', { channel: 'email', state: 'failed' }),
  };
}

/**
 * GET /_rdmc/metrics of an API node, read by a Prometheus text-format parser: this node's
 * counters, the cluster's gauges (the job queue and the outbox in the database), the store's
 * connections, build information and the process's own metrics.
 */
describe('metrics of an API node', () => {
  // A real mail server that refuses every recipient: each delivery fails until it gives up.
  const refusing = new SmtpInbox({ refuse: true });
  let server: TestServer;
  let call: Call;

  before(async () => {
    const port = await refusing.start();
    // Manual mode holds jobs until released; retries 1 ms apart so ten attempts pass quickly.
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}`, asyncMode: 'manual', jobRetryBaseMs: 1, metricsCacheMs: 100 });
    call = openApiCore(server.url);
  });
  after(async () => {
    await server.stop();
    await refusing.stop();
  });

  test('every family parses, with build information, store connections, process metrics and the cluster gauges', async () => {
    await call('GetResourceDirectory', {});
    const families = await scrape(server.url);
    const build = families.get('rdmc_build_info')!.metrics[0]!;
    assert.equal(build.value, '1');
    assert.deepEqual({ role: build.labels?.role, store: build.labels?.store }, { role: 'api', store: server.database.backend });
    assert.match(build.labels?.version ?? '', /^\d+\.\d+\.\d+/);
    assert.ok((sample(families, 'rdmc_rpc_requests_total', { action: 'GetResourceDirectory', code: '' }) ?? 0) >= 1);
    assert.equal(families.get('rdmc_rpc_request_duration_seconds')?.type, 'HISTOGRAM');
    const max = sample(families, 'rdmc_store_connections_max')!;
    assert.equal(max, server.database.backend === 'postgres' ? 4 : 1);
    const open = sample(families, 'rdmc_store_connections', { state: 'idle' })! + sample(families, 'rdmc_store_connections', { state: 'busy' })!;
    assert.ok(open >= 1 && open <= max, `${open} connections open`);
    assert.ok(sample(families, 'rdmc_store_waiting')! >= 0);
    // prom-client's defaults, under their usual names.
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      assert.ok(families.has(name), `${name} is missing`);
    }
    assert.equal(sample(families, 'rdmc_cluster_up'), 1);
    // Every kind in every state, and every channel: a series at 0 is there, not absent.
    assert.equal(families.get('rdmc_cluster_jobs')!.metrics.length, 9);
    assert.equal(families.get('rdmc_cluster_jobs_oldest_due_age_seconds')!.metrics.length, 3);
    assert.equal(families.get('rdmc_cluster_deliveries')!.metrics.length, 4);
    assert.match(families.get('rdmc_cluster_jobs')!.help, new RegExp(`stop at ${COUNT_CAP}`));
  });

  test('the queue and delivery gauges follow a message as it is held, released, retried and given up', async () => {
    const before = queue(await scrape(server.url));
    const contactId = await emailContact(call, 'refused@example.com');
    await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'refused@example.com' });
    await eventually('the held delivery counted', async () => {
      const now = queue(await scrape(server.url));
      return now.held === before.held! + 1 && now.deliveriesPending === before.deliveriesPending! + 1;
    });

    // Released, every attempt is refused by the mail server, until the job gives up.
    await adminClient(server.url).post('/jobs/run');
    const given = await eventually('the delivery given up', async () => {
      const now = queue(await scrape(server.url));
      return now.failed === before.failed! + 1 ? now : null;
    });
    assert.deepEqual(given, {
      held: before.held,
      pending: before.pending,
      failed: before.failed! + 1,
      deliveriesPending: before.deliveriesPending,
      deliveriesFailed: before.deliveriesFailed! + 1,
    });
    const families = await scrape(server.url);
    assert.ok((sample(families, 'rdmc_jobs_total', { kind: 'delivery.send', outcome: 'retried' }) ?? 0) >= 1);
    assert.equal(sample(families, 'rdmc_jobs_total', { kind: 'delivery.send', outcome: 'failed' }), 1);
  });
});

describe('metrics: the oldest due job and the cache', () => {
  let server: TestServer | undefined;
  after(() => server?.stop());

  test('a due job no worker runs ages, and a reading is kept for RDMC_METRICS_CACHE_MS', async () => {
    // An API node without a worker: what it queues waits, as it would with every worker down
    // (so the mail server it names is never asked).
    server = await startTestServer({ worker: false, smtpUrl: 'smtp://127.0.0.1:1', asyncMode: 'delay', asyncDelayMs: 0, metricsCacheMs: 3_600_000 });
    const call = openApiCore(server.url);
    const first = await scrape(server.url);
    assert.equal(sample(first, 'rdmc_cluster_jobs_oldest_due_age_seconds', { kind: 'delivery.send' }), 0);
    const contactId = await emailContact(call, 'waiting@example.com');
    await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'waiting@example.com' });
    // Within the cache's hour, scrapes answer the first reading, whatever happened since.
    const cached = await scrape(server.url);
    assert.equal(sample(cached, 'rdmc_cluster_jobs', { kind: 'delivery.send', state: 'pending' }), 0);
    assert.equal(sample(cached, 'rdmc_cluster_deliveries', { channel: 'email', state: 'pending' }), 0);

    server = await server.restart({ metricsCacheMs: 100 });
    const aged = await eventually('the due job to age', async () => {
      const families = await scrape(server!.url);
      const age = sample(families, 'rdmc_cluster_jobs_oldest_due_age_seconds', { kind: 'delivery.send' })!;
      return age > 0 ? families : null;
    });
    assert.equal(sample(aged, 'rdmc_cluster_jobs', { kind: 'delivery.send', state: 'pending' }), 1);
    assert.equal(sample(aged, 'rdmc_cluster_deliveries', { channel: 'email', state: 'pending' }), 1);
    assert.equal(sample(aged, 'rdmc_cluster_jobs_oldest_due_age_seconds', { kind: 'contact.delete' }), 0);
  });
});

describe('metrics access', () => {
  let server: TestServer | undefined;
  after(() => server?.stop());

  test('with a token set, /_rdmc/metrics wants it, as the rest of the admin API does', async () => {
    server = await startTestServer({ adminToken: 'metrics-token' });
    assert.equal((await fetch(`${server.url}/_rdmc/metrics`)).status, 401);
    assert.equal(sample(await scrape(server.url, 'metrics-token'), 'rdmc_cluster_up'), 1);
  });
});
