import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient, waitForNoJobs } from '../helpers/admin.js';
import { popCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { createTestDatabase, messageCenterEntries, type TestDatabase } from '../helpers/database.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { ACCESS_KEYS_ENV, KEYS } from '../helpers/server.js';

/**
 * SIGKILL in the middle of a 10,000-account fan-out and of a 10,000-account deletion:
 * after a restart both finish, and every message center is exactly what it should be.
 */
const MEMBERS = 10_000;
let database: TestDatabase;
let proc: ServerProcess | undefined;

// Small batches make each job run as many short transactions, so the kill lands between them.
// On a shared database the dead process's lock is only taken over once stale: make that soon.
const start = async () => {
  proc = await spawnServer(['--db', database.db, '--async-mode', 'delay', '--async-delay-ms', '0', '--log-level', 'info'], {
    RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV,
    RDMC_JOB_BATCH_SIZE: '50',
    RDMC_JOB_STALE_LOCK_MS: '1000',
  });
  return { call: popCore(proc.url, KEYS.main, 'POST'), admin: adminClient(proc.url) };
};

/** Polls the job table until `seen` says the job has visibly started, then kills the process outright. */
async function killMidway(admin: ReturnType<typeof adminClient>, kind: string) {
  await eventually(`the ${kind} job started`, async () => {
    const jobs = (await admin.get('/jobs')).Jobs.filter((j: any) => j.Kind === kind);
    if (jobs.length === 0) throw new Error(`the ${kind} job finished before it could be interrupted`);
    return jobs[0].Payload.afterAccountId !== '';
  }, { tries: 2000, intervalMs: 2 });
  await proc!.kill('SIGKILL');
}

const entriesOf = (contactId: string) => messageCenterEntries(database, contactId);

before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await proc?.kill('SIGKILL');
  await database.drop();
});

test('a fan-out and a deletion over 10,000 members survive SIGKILL, nothing lost and nothing done twice', async () => {
  let { call, admin } = await start();
  const seeded: string[] = (await admin.post('/seed', { Accounts: MEMBERS })).AccountIds;
  const everyone = [KEYS.main.accountId, ...seeded].sort();
  const root = (await call('GetResourceDirectory')).ResourceDirectory.RootFolderId;
  const contactId = await addContact(call, { Name: 'crashtest', EmailAddress: 'c@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });

  // Fan-out: kill it part-way, and prove the state was partial when it died.
  await call('AssociateMembers', { ContactId: contactId, Members: [root] });
  await killMidway(admin, 'message-center.sync');
  const partial = (await entriesOf(contactId)).length;
  assert.ok(partial > 0 && partial < everyone.length, `killed mid-way: ${partial} of ${everyone.length} synced`);

  ({ call, admin } = await start());
  await waitForNoJobs(admin);
  // A SQLite file belongs to one process: the server stops while the test reads it.
  await proc!.kill('SIGTERM');
  const synced = await entriesOf(contactId);
  assert.deepEqual(synced.map((e) => e.accountId), everyone);
  assert.ok(synced.every((e) => e.source === 'Inherited' && e.via.length === 1 && e.via[0] === root));
  ({ call, admin } = await start());

  // Deletion: three owners have given up fault messages, so removal must fail exactly there.
  const lonely = [everyone[10]!, everyone[5000]!, everyone[9990]!];
  for (const id of lonely) await admin.put(`/accounts/${id}/message-center/owner`, { MessageTypes: ['ServiceMessage'] });
  assert.equal((await call('DeleteMessageContact', { ContactId: contactId, RetainContactInMembers: false })).Status, 'Deleting');
  await killMidway(admin, 'contact.delete');
  const remaining = (await entriesOf(contactId)).length;
  assert.ok(remaining > lonely.length && remaining < everyone.length, `killed mid-way: ${remaining} entries left`);

  ({ call, admin } = await start());
  await waitForNoJobs(admin);
  const status = (await call('GetMessageContactDeletionStatus', { ContactId: contactId })).ContactDeletionStatus;
  assert.equal(status.Status, 'Failed');
  assert.deepEqual(status.FailReasonList, lonely.map((AccountId) => ({ AccountId, MessageTypes: ['FaultMessage'] })));
  await proc!.kill('SIGTERM');
  assert.deepEqual((await entriesOf(contactId)).map((e) => [e.accountId, e.via]), lonely.map((id) => [id, [id]]));
});
