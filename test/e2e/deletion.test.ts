import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore, popCore, type Call } from '../helpers/clients.js';
import { addContact, directoryOf, ERR, getContact, plain, rejects } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * DeleteMessageContact: RetainContactInMembers omitted or true deletes at once; false leaves
 * the contact Deleting until a durable background job removes it, across restarts too.
 * The server holds jobs (async mode manual) until a test releases them.
 */
let server: TestServer;
let v1: Call;
let v3: Call;
before(async () => {
  server = await startTestServer({ asyncMode: 'manual' });
  v1 = plain(popCore(server.url));
  v3 = plain(openApiCore(server.url));
});
after(() => server.stop());

const jobsOf = async (s: TestServer, contactId: string) =>
  (await adminClient(s.url).get('/jobs')).Jobs.filter((j: { ContactId: string }) => j.ContactId === contactId);

/** Asserts the contact is in an asynchronous deletion that has not finished. */
async function assertDeleting(call: Call, contactId: string): Promise<void> {
  assert.equal((await getContact(call, contactId)).Status, 'Deleting');
  assert.deepEqual((await call('ListMessageContacts', { ContactId: contactId })).Contacts.map((c: { Status: string }) => c.Status), ['Deleting']);
  assert.deepEqual((await call('GetMessageContactDeletionStatus', { ContactId: contactId })).ContactDeletionStatus, {
    ContactId: contactId,
    Status: 'Deleting',
    FailReasonList: [],
  });
}

async function assertGone(call: Call, contactId: string): Promise<void> {
  await rejects(call('GetMessageContact', { ContactId: contactId }), ERR.contactNotExists);
  await rejects(call('GetMessageContactDeletionStatus', { ContactId: contactId }), ERR.contactNotExists);
  await rejects(call('ListMessageContacts', { ContactId: contactId }), ERR.contactNotExists);
}

for (const [label, retain] of [['omitted', undefined], ['true', true]] as const) {
  test(`RetainContactInMembers ${label}: deleted at once, Status=Deleted, no job`, async () => {
    for (const call of [v1, v3]) {
      const id = await addContact(call);
      const body = await call('DeleteMessageContact', { ContactId: id, RetainContactInMembers: retain });
      assert.deepEqual(Object.keys(body).sort(), ['RequestId', 'Status']);
      assert.equal(body.Status, 'Deleted');
      await assertGone(call, id);
      await rejects(call('DeleteMessageContact', { ContactId: id }), ERR.contactNotExists);
      assert.deepEqual(await jobsOf(server, id), []);
    }
  });
}

test('RetainContactInMembers=false: Deleting, mutations refused, then removed by the job', async () => {
  const { rdId } = await directoryOf(v3);
  for (const call of [v1, v3]) {
    const id = await addContact(call);
    await call('AssociateMembers', { ContactId: id, Members: [rdId] });
    // The binding's own fan-out runs first: until it has, the contact is busy (429).
    await adminClient(server.url).post('/jobs/run');
    const body = await call('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false });
    assert.deepEqual(Object.keys(body).sort(), ['RequestId', 'Status']);
    assert.equal(body.Status, 'Deleting');
    await assertDeleting(call, id);
    assert.deepEqual((await jobsOf(server, id)).map((j: { Held: boolean; State: string }) => [j.Held, j.State]), [[true, 'pending']]);

    // Reads still work; every mutation is refused.
    await rejects(call('UpdateMessageContact', { ContactId: id, Title: 'CEO' }), ERR.statusMismatch);
    await rejects(call('CancelMessageContactUpdate', { ContactId: id }), ERR.statusMismatch);
    await rejects(call('AssociateMembers', { ContactId: id, Members: [rdId] }), ERR.statusMismatch);
    await rejects(call('DisassociateMembers', { ContactId: id, Members: [rdId] }), ERR.statusMismatch);
    await rejects(call('DeleteMessageContact', { ContactId: id }), ERR.concurrent);
    await rejects(call('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false }), ERR.concurrent);
    assert.deepEqual((await getContact(call, id)).Members, [rdId], 'bound until the job runs');
    await assertDeleting(call, id);

    assert.ok((await adminClient(server.url).post('/jobs/run')).Released >= 1);
    await assertGone(call, id);
    assert.deepEqual(await jobsOf(server, id), []);
    assert.deepEqual((await call('ListMessageContacts', { Member: rdId })).Contacts, []);
  }
});

test('a Deleting contact keeps its name and its place in the quota until it is gone', async () => {
  const id = await addContact(v3, { Name: 'leaving' });
  await v3('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false });
  await rejects(v3('AddMessageContact', { Name: 'leaving', EmailAddress: 'x@example.com', Title: 'CEO', MessageTypes: ['ServiceMessage'] }), ERR.nameUsed);
  await adminClient(server.url).post('/jobs/run');
  await addContact(v3, { Name: 'leaving' });
});

test('a pending deletion survives a restart and completes once its job is released', async (t) => {
  let s = await startTestServer({ asyncMode: 'manual' });
  t.after(() => s.stop());
  const id = await addContact(plain(openApiCore(s.url)));
  await plain(popCore(s.url))('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false });

  s = await s.restart();
  const call = plain(openApiCore(s.url));
  await assertDeleting(call, id);
  assert.equal((await jobsOf(s, id)).length, 1, 'the job is in the database, still held');
  await rejects(call('UpdateMessageContact', { ContactId: id, Title: 'CEO' }), ERR.statusMismatch);

  await adminClient(s.url).post('/jobs/run');
  await assertGone(call, id);
});

test('a worker started after a restart finishes a deletion left by a process without one', async (t) => {
  // The first process has no worker: the job is due but nobody runs it.
  let s = await startTestServer({ asyncMode: 'delay', asyncDelayMs: 0, worker: false });
  t.after(() => s.stop());
  const id = await addContact(plain(popCore(s.url)));
  await plain(popCore(s.url))('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false });
  await assertDeleting(plain(popCore(s.url)), id);

  s = await s.restart({ worker: true });
  const call = plain(openApiCore(s.url));
  // The worker runs on its own; wait by polling the deletion status (bounded, no timing asserted).
  await eventually('the deletion to finish', () => call('GetMessageContactDeletionStatus', { ContactId: id }).then(() => false, () => true), {
    tries: 200,
    intervalMs: 25,
  });
  await assertGone(call, id);
});
