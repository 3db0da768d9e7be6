import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { TestClock } from '../helpers/clock.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact, ERR, rejects } from '../helpers/contacts.js';
import { TEST_BACKEND } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startServer } from '../../src/server.js';
import type { Tx } from '../../src/storage/store.js';

/** Inputs and situations found in review: each once produced a 500, a stuck contact or a wrong answer. */
let server: TestServer;
let call: Call;
// Retries are due when the test moves this clock, not after wall-clock backoff.
const clock = new TestClock();
before(async () => {
  server = await startTestServer({ jobRetryBaseMs: 1 }, { clock });
  call = openApiCore(server.url);
});
after(() => server.stop());

test('control characters in any parameter are the documented InvalidParameter, never a 500', async () => {
  await rejects(
    call('AddMessageContact', { Name: 'nul', EmailAddress: 'a\u0000b@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] }),
    ERR.invalid('EmailAddress'),
  );
  await rejects(call('ListAccounts', { QueryKeyword: 'a\u0000' }), [400, 'InvalidParameter.QueryKeyword', 'The QueryKeyword is invalid.']);
  const id = await addContact(call, { Name: 'ctl', EmailAddress: 'ctl@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
  await rejects(call('AssociateMembers', { ContactId: id, Members: ['fd-0000000000\u0007'] }), ERR.invalid('Members'));
  const r = await adminClient(server.url).raw('POST', '/messages', { AccountId: '1111111111111111', MessageType: 'FaultMessage', Subject: 'x\u0000', Body: 'b' });
  assert.deepEqual([r.status, r.body.Code], [400, 'InvalidBody']);
});

test('without a token, a request forwarded by a proxy on loopback is refused by the admin API', async () => {
  const r = await adminClient(server.url).raw('GET', '/health', undefined, { 'x-forwarded-for': '203.0.113.9' });
  assert.deepEqual([r.status, r.body.Code], [403, 'Forbidden']);
});

test('a deletion whose job fails for good leaves the contact usable, its deletion Failed', { skip: TEST_BACKEND !== 'sqlite' && 'reaches into the SQLite store' }, async () => {
  const id = await addContact(call, { Name: 'doomed', EmailAddress: 'doomed@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
  // Every read of the contact's message-center entries fails, as a broken disk would make it.
  const repos = (server.store as unknown as { tx: Tx }).tx.messageCenters;
  const original = repos.batchForContact;
  repos.batchForContact = async () => {
    throw new Error('simulated I/O error');
  };
  try {
    await call('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false });
    const admin = adminClient(server.url);
    // The first attempt ran before the answer (immediate mode); each step of the clock makes
    // exactly the next retry due, and jobs/run runs it.
    for (let attempt = 2; attempt <= 10; attempt++) {
      clock.advance(300_000);
      await admin.post('/jobs/run');
      const [job] = (await admin.get('/jobs')).Jobs;
      assert.deepEqual([job.State, job.Attempts], [attempt === 10 ? 'failed' : 'pending', attempt]);
    }
    const [job] = (await admin.get('/jobs')).Jobs;
    assert.deepEqual([job.Kind, job.State, job.Attempts, job.LastError], ['contact.delete', 'failed', 10, 'Error: simulated I/O error']);
  } finally {
    repos.batchForContact = original;
  }
  assert.equal((await call('GetMessageContactDeletionStatus', { ContactId: id })).ContactDeletionStatus.Status, 'Failed');
  assert.equal((await call('GetMessageContact', { ContactId: id })).Contact.Status, 'Verifying');
  await call('UpdateMessageContact', { ContactId: id, Title: 'Other' });
});

test('a SQLite file belongs to one process: a second server on it fails at start, saying why', { skip: TEST_BACKEND !== 'sqlite' && 'SQLite only' }, async () => {
  const second = startServer({ port: 0, db: server.database.db, logLevel: 'silent' });
  await assert.rejects(second, /is open in another process: a SQLite database belongs to one rdmc process/);
  assert.equal((await call('GetResourceDirectory')).ResourceDirectory.MasterAccountId, '1111111111111111');
});

