import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { locks } from '../../src/storage/locks.js';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

/** A loopback port nothing listens on (yet): the mail server that is down. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function rdmc(args: string[]) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv() });
  const { code } = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

describe('redrive: deliveries that failed for good are sent again on request, once', () => {
  const smtp = new SmtpInbox();
  let port: number;
  let server: TestServer;
  let call: Call;
  let admin: AdminClient;

  before(async () => {
    port = await freePort();
    // Two attempts, a few milliseconds apart: the limit and the backoff are settings.
    server = await startTestServer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      asyncMode: 'delay',
      asyncDelayMs: 0,
      jobMaxAttempts: 2,
      jobRetryBaseMs: 1,
      jobRetryMaxMs: 2,
    });
    call = openApiCore(server.url);
    admin = adminClient(server.url);
  });
  after(async () => {
    await server?.stop();
    await smtp.stop();
  });

  const delivery = async (to: string) => (await admin.get(`/outbox?To=${encodeURIComponent(to)}`)).Messages[0];
  const jobOf = async (deliveryId: string) => (await admin.get('/jobs')).Jobs.find((j: any) => j.DeliveryId === deliveryId);

  /** Verification e-mails to each address, and their deliveries once they failed for good. */
  async function failedSends(addresses: string[]) {
    for (const address of addresses) {
      const contactId = await addContact(call, { EmailAddress: address, MessageTypes: ['SecurityMessage'] });
      await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: address });
    }
    const failed = [];
    for (const address of addresses) failed.push(await eventually(`${address} to fail for good`, async () => ((await delivery(address)).Delivery === 'failed' ? delivery(address) : null)));
    return failed;
  }

  const cause = () => new RegExp(`Error: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(code=ESOCKET originalCode=ECONNREFUSED errno=-111 syscall=connect command=CONN address=127\\.0\\.0\\.1:${port}\\)`);

  test('a mail server that is down fails deliveries at the attempt limit, with the whole cause kept', async () => {
    const [message] = await failedSends(['down@example.com']);
    assert.equal(message.Attempts, 2, 'the attempt limit is RDMC_JOB_MAX_ATTEMPTS');
    assert.match(message.LastError, cause());
    const job = await jobOf(message.DeliveryId);
    assert.equal(job.State, 'failed');
    assert.equal(job.Attempts, 2);
    assert.match(job.LastError, cause());
    assert.ok(Date.parse(job.FailedAt) > 0, 'when it failed is kept');
    assert.deepEqual([job.Redrives, job.PriorAttempts], [0, 0]);
  });

  test('a retry of what did not fail is refused with its reason', async () => {
    const bad = await admin.raw('POST', '/jobs/abc/retry');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.Code, 'InvalidParameter.JobId');
    const unknown = await admin.raw('POST', '/jobs/999999/retry');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.Code, 'EntityNotExists.Job');
    assert.equal((await admin.raw('POST', '/outbox/NOPE/retry')).body.Code, 'EntityNotExists.Delivery');
    assert.equal((await admin.raw('POST', '/jobs/retry', { Kind: 'contact.delete' })).status, 400);
    assert.equal((await admin.raw('POST', '/jobs/retry', { FailedSince: 'yesterday' })).status, 400);

    // A job still pending (held in manual mode) is not a failed one.
    await admin.put('/async', { Mode: 'manual' });
    try {
      const contactId = await addContact(call, { EmailAddress: 'held@example.com', MessageTypes: ['SecurityMessage'] });
      await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'held@example.com' });
      const held = await delivery('held@example.com');
      const job = await jobOf(held.DeliveryId);
      const refused = await admin.raw('POST', `/jobs/${job.JobId}/retry`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.Code, 'IncorrectJobState');
      assert.equal(refused.body.Message, `Job ${job.JobId} is pending: only a job that failed for good can be retried.`);
      const pending = await admin.raw('POST', `/outbox/${held.DeliveryId}/retry`);
      assert.deepEqual([pending.status, pending.body.Code], [409, 'IncorrectDeliveryState']);
      const cli = await rdmc(['jobs', 'retry', String(job.JobId), '--endpoint', server.url]);
      assert.equal(cli.code, 1);
      assert.match(cli.stderr, /IncorrectJobState/);
      await admin.post('/outbox/retry', {});
      assert.equal((await delivery('held@example.com')).Delivery, 'pending', 'a bulk retry leaves pending deliveries alone');
    } finally {
      await admin.put('/async', { Mode: 'delay', DelayMs: 0 });
    }
    await admin.post('/jobs/run');
    await eventually('the held delivery to fail too', async () => (await delivery('held@example.com')).Delivery === 'failed');
  });

  test('once the server is back: one job retried over the admin API, the rest in bulk with rdmc jobs retry; each mail arrives once', async () => {
    await failedSends(['one@example.com', 'two@example.com', 'elsewhere@example.com']);
    // This one was delivered by another run meanwhile (its job failed after another's send was recorded).
    const elsewhere = await delivery('elsewhere@example.com');
    await server.store.transaction(locks.outbox, async (tx) => {
      const row = (await tx.outbox.byId(elsewhere.DeliveryId))!;
      await tx.outbox.update({ ...row, delivery: 'sent', deliveredAt: Date.now() });
    });
    await smtp.start(port);

    const one = await delivery('one@example.com');
    const { Job } = await admin.post(`/jobs/${(await jobOf(one.DeliveryId)).JobId}/retry`);
    assert.deepEqual([Job.State, Job.Attempts, Job.PriorAttempts, Job.Redrives], ['pending', 0, 2, 1], 'a fresh budget, the history kept');
    assert.match(Job.LastError, cause(), 'the last error stays until the next attempt');
    await eventually('the retried delivery', async () => (await delivery('one@example.com')).Delivery === 'sent');
    assert.equal((await delivery('one@example.com')).Attempts, 3, 'the message counts every attempt');
    assert.equal(smtp.to('one@example.com').length, 1);
    const again = await admin.raw('POST', `/outbox/${one.DeliveryId}/retry`);
    assert.deepEqual([again.status, again.body.Code], [409, 'IncorrectDeliveryState']);

    const cli = await rdmc(['jobs', 'retry', '--kind', 'delivery.send', '--failed-since', '2000-01-01T00:00:00Z', '--endpoint', server.url]);
    assert.equal(cli.code, 0, cli.stderr);
    // down@, held@, two@ and elsewhere@: every failed delivery job.
    assert.equal(cli.stdout, 'rdmc jobs retry: 4 failed jobs queued again\n');
    for (const to of ['down@example.com', 'held@example.com', 'two@example.com']) {
      await eventually(`${to} delivered`, async () => (await delivery(to)).Delivery === 'sent');
    }
    await eventually('no job left', async () => (await admin.get('/jobs')).Jobs.length === 0);
    for (const to of ['down@example.com', 'held@example.com', 'one@example.com', 'two@example.com']) assert.equal(smtp.to(to).length, 1, to);
    assert.equal(smtp.to('elsewhere@example.com').length, 0, 'a delivery sent elsewhere is not sent again');
    assert.equal((await admin.post('/jobs/retry', {})).Retried, 0, 'nothing failed is left');
  });

  test('deliveries retried by ID with rdmc outbox retry, and in bulk over the admin API', async () => {
    await smtp.stop();
    const [first] = await failedSends(['three@example.com', 'four@example.com', 'five@example.com']);
    await smtp.start(port);

    const cli = await rdmc(['outbox', 'retry', first.DeliveryId, '--endpoint', server.url]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(cli.stdout, `rdmc outbox retry: delivery ${first.DeliveryId} to three@example.com queued again\n`);
    await eventually('three@ delivered', async () => (await delivery('three@example.com')).Delivery === 'sent');
    const twice = await rdmc(['outbox', 'retry', first.DeliveryId, '--endpoint', server.url]);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /IncorrectDeliveryState/);

    assert.equal((await admin.post('/outbox/retry', {})).Retried, 2);
    for (const to of ['four@example.com', 'five@example.com']) await eventually(`${to} delivered`, async () => (await delivery(to)).Delivery === 'sent');
    await eventually('no job left', async () => (await admin.get('/jobs')).Jobs.length === 0);
    for (const to of ['three@example.com', 'four@example.com', 'five@example.com']) assert.equal(smtp.to(to).length, 1, to);
  });
});
