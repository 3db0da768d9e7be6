import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { adminClient, waitForNoJobs } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { heldSmsGateway, slowSendNode, type HeldGateway } from '../helpers/slow-gateway.js';
import { ACCESS_KEYS_ENV } from '../helpers/server.js';
import { eventually } from '../helpers/eventually.js';

/** RDMC_JOB_STALE_LOCK_MS of the nodes (test/helpers/slow-gateway.ts, slowSendNode). */
const STALE_LOCK_MS = 1_000;

/**
 * Verification and delivery across two nodes on one PostgreSQL database: a send slower
 * than the stale-lock time is not taken over and sent again, and a link confirmed on both
 * nodes at once is used once.
 */
describe('deliveries across two nodes', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  const procs: ServerProcess[] = [];
  let gateway: HeldGateway | undefined;

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the two-node delivery tests');
      return;
    }
    // An SMS gateway that accepts only when the test says: after the 1 s stale-lock time below has passed.
    gateway = await heldSmsGateway();
    database = await createTestDatabase('postgres');
    const { args, env } = slowSendNode(database.db, gateway, ACCESS_KEYS_ENV);
    procs.push(...(await Promise.all([spawnServer(args, env), spawnServer(args, env)])));
  });
  after(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await database?.drop();
    await gateway?.close();
  });

  /** When the delivery job's lock was last taken or renewed, read straight from the database. */
  const sendLock = async () => {
    const store = await database!.open();
    try {
      const jobs = await store.read((tx) => tx.jobs.list(10));
      return jobs.find((j) => j.kind === 'delivery.send' && j.lockedAt !== null)?.lockedAt ?? null;
    } finally {
      await store.close();
    }
  };

  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(name, async (t) => (skipped ? t.skip(skipped) : fn(t)));

  it('a send slower than the stale-lock time goes out once: the live worker keeps its lock', async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const call = openApiCore(a.url);
    const contactId = await addContact(call, { Name: 'slowsms', EmailAddress: 's@example.com', PhoneNumber: '86-13600000000', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await call('SendPhoneVerificationForMessageContact', { ContactId: contactId, PhoneNumber: '86-13600000000' });
    // The send is under way; the gateway holds it until the job's lock has been renewed past the
    // stale-lock time after its claim, when a worker without heartbeats would have lost it.
    await eventually('the send at the gateway', () => gateway!.hits.length > 0);
    const claimed = await eventually('the job locked', () => sendLock());
    await eventually('the lock renewed past the stale-lock time', async () => ((await sendLock()) ?? 0) > claimed + STALE_LOCK_MS, { intervalMs: 50 });
    gateway!.release();
    await waitForNoJobs(adminClient(b.url));
    assert.deepEqual(gateway!.hits, ['86-13600000000']);
    const [sent] = (await adminClient(b.url).get('/outbox?To=86-13600000000')).Messages;
    assert.deepEqual([sent.Delivery, sent.Attempts], ['sent', 1]);
  });

  it('one link confirmed on both nodes at once is used exactly once', async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const call = openApiCore(a.url);
    const contactId = await addContact(call, { Name: 'racer', EmailAddress: 'race@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'race@example.com' });
    const [message] = (await adminClient(a.url).get('/outbox?To=race%40example.com')).Messages;
    const path = new URL(message.Link).pathname;
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, i) => fetch(`${(i % 2 ? a : b).url}${path}`, { method: 'POST' }).then((r) => r.status)));
    assert.deepEqual(statuses.sort(), [200, 410, 410, 410, 410, 410, 410, 410]);
    assert.equal((await call('GetMessageContact', { ContactId: contactId })).Contact.Status, 'Active');
  });
});
