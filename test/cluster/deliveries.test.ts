import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { adminClient, waitForNoJobs } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { slowSendNode, slowSmsGateway, type SlowGateway } from '../helpers/slow-gateway.js';
import { ACCESS_KEYS_ENV } from '../helpers/server.js';

/**
 * Verification and delivery across two nodes on one PostgreSQL database: a send slower
 * than the stale-lock time is not taken over and sent again, and a link confirmed on both
 * nodes at once is used once.
 */
describe('deliveries across two nodes', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  const procs: ServerProcess[] = [];
  let gateway: SlowGateway | undefined;

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the two-node delivery tests');
      return;
    }
    // An SMS gateway that takes 2.5 s to accept: longer than the 1 s stale-lock time below.
    gateway = await slowSmsGateway(2_500);
    database = await createTestDatabase('postgres');
    const { args, env } = slowSendNode(database.db, gateway, ACCESS_KEYS_ENV);
    procs.push(...(await Promise.all([spawnServer(args, env), spawnServer(args, env)])));
  });
  after(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await database?.drop();
    await gateway?.close();
  });

  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(name, async (t) => (skipped ? t.skip(skipped) : fn(t)));

  it('a send slower than the stale-lock time goes out once: the live worker keeps its lock', async () => {
    const [a, b] = procs as [ServerProcess, ServerProcess];
    const call = openApiCore(a.url);
    const contactId = await addContact(call, { Name: 'slowsms', EmailAddress: 's@example.com', PhoneNumber: '86-13600000000', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await call('SendPhoneVerificationForMessageContact', { ContactId: contactId, PhoneNumber: '86-13600000000' });
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
