import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test, type TestContext } from 'node:test';
import { adminClient, waitForNoJobs, type AdminClient } from '../helpers/admin.js';
import { failure, openApiCore, popCore, type Call } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { createTestDatabase, messageCenterEntries, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { ACCESS_KEYS_ENV, KEYS } from '../helpers/server.js';

/**
 * Two `rdmc serve` processes on one PostgreSQL database, as behind a load balancer: every
 * rule that holds on one node holds across both, and their workers share the jobs.
 */
const MEMBERS = 10_000;
/** Contact names are letters only: 0 -> a, 1 -> b... */
const letter = (i: number) => String.fromCharCode(97 + i);

interface Node {
  proc: ServerProcess;
  /** The worker's lock owner starts with host:pid: how the job table names this node. */
  pid: number;
  admin: AdminClient;
  main: Call;
  other: Call;
}

describe('two nodes on one PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  const procs: ServerProcess[] = [];
  let a: Node;
  let b: Node;

  const spawn = async (command: 'serve' | 'worker' = 'serve') => {
    const proc = await spawnServer(
      ['--db', database!.db, '--pg-pool-size', '5', '--async-mode', 'delay', '--async-delay-ms', '0', '--log-level', 'info'],
      // Small batches: a fan-out is a hundred transactions, and either worker may take any of them.
      { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, RDMC_JOB_BATCH_SIZE: '100', RDMC_JOB_STALE_LOCK_MS: '1000' },
      command,
    );
    procs.push(proc);
    return proc;
  };
  const node = (proc: ServerProcess): Node => ({
    proc,
    pid: proc.child.pid!,
    admin: adminClient(proc.url),
    main: openApiCore(proc.url, KEYS.main),
    other: popCore(proc.url, KEYS.other, 'POST'),
  });

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the two-node tests');
      return;
    }
    database = await createTestDatabase('postgres');
    // Both start at the same moment on an empty database: migrations and bootstrap race.
    [a, b] = (await Promise.all([spawn(), spawn()])).map(node) as [Node, Node];
  });
  after(async () => {
    for (const proc of procs) await proc.kill('SIGKILL');
    await database?.drop();
  });

  const it = (name: string, fn: (t: TestContext) => Promise<void>) =>
    test(name, async (t) => (skipped ? t.skip(skipped) : fn(t)));

  const faultContact = (call: Call, Name: string) => addContact(call, { Name, EmailAddress: `${Name}@example.com`, MessageTypes: ['FaultMessage'] });

  /** Settles calls made at once and sorts them into successes and failure codes. */
  async function together(calls: Array<Promise<unknown>>) {
    const settled = await Promise.all(calls.map((c) => c.then(() => null, (err) => failure(Promise.reject(err)))));
    return { ok: settled.filter((f) => f === null).length, codes: settled.filter((f) => f !== null).map((f) => f!.code).sort() };
  }

  it('both nodes came up on one bootstrapped directory', async () => {
    const [fromA, fromB] = await Promise.all([a.main('GetResourceDirectory'), b.main('GetResourceDirectory')]);
    assert.equal(fromA.ResourceDirectory.ResourceDirectoryId, fromB.ResourceDirectory.ResourceDirectoryId);
  });

  it('AddMessageContact with one name on both nodes at once: one contact, one InvalidParameter.Name.AlreadyUsed', async () => {
    for (let i = 0; i < 10; i++) {
      const name = `twin${letter(i)}`;
      const result = await together([faultContact(a.main, name), faultContact(b.main, name)]);
      assert.deepEqual(result, { ok: 1, codes: ['InvalidParameter.Name.AlreadyUsed'] }, name);
    }
    const listed = (await b.main('ListMessageContacts', { PageSize: 100 })).Contacts.map((c: any) => c.Name).sort();
    assert.deepEqual(listed, Array.from({ length: 10 }, (_, i) => `twin${letter(i)}`));
  });

  it('the 20-contact quota holds when both nodes add at once', async () => {
    const adds = Array.from({ length: 24 }, (_, i) => faultContact(i % 2 ? a.main : b.main, `quota${letter(i)}`));
    const result = await together(adds);
    assert.deepEqual(result, { ok: 10, codes: Array(14).fill('QuotaExceeded.Contact') });
    assert.equal((await a.main('ListMessageContacts', { PageSize: 100 })).TotalCount, 20);
  });

  it('the 10-binding limit holds when both nodes bind at once', async () => {
    await b.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    const folders: string[] = [];
    for (let i = 0; i < 17; i++) folders.push((await a.other('CreateFolder', { FolderName: `bind${i}` })).Folder.FolderId);
    const c = await faultContact(b.other, 'binder');
    await a.other('AssociateMembers', { ContactId: c, Members: folders.slice(0, 5) });
    await waitForNoJobs(a.admin);
    await b.other('AssociateMembers', { ContactId: c, Members: folders.slice(5, 8) });
    await waitForNoJobs(a.admin);

    // Eight bound; four calls of two more each: only the first to get the directory may bind.
    const calls = [0, 1, 2, 3].map((i) => (i % 2 ? a : b).other('AssociateMembers', { ContactId: c, Members: folders.slice(8 + 2 * i, 10 + 2 * i) }));
    const result = await together(calls);
    assert.equal(result.ok, 1);
    for (const code of result.codes) assert.ok(['ConcurrentCallNotSupported', 'LimitExceeded.ContactMembers'].includes(code), code);
    await waitForNoJobs(b.admin);
    assert.equal((await a.other('GetMessageContact', { ContactId: c })).Contact.Members.length, 10);
    const more = await failure(b.other('AssociateMembers', { ContactId: c, Members: [folders[16]!] }));
    assert.equal(more.code, 'LimitExceeded.ContactMembers');
  });

  it('the send limit holds when both nodes send at once, and is each tenant\'s own', async () => {
    // The other tenant's contact at a mailbox one of the main tenant's contacts (twina) has too.
    const c = await addContact(b.other, { Name: 'sender', EmailAddress: 'Twina@Example.com', MessageTypes: ['FaultMessage'] });
    const sends = Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).other('SendEmailVerificationForMessageContact', { ContactId: c, EmailAddress: 'Twina@Example.com' }));
    assert.deepEqual(await together(sends), { ok: 10, codes: Array(14).fill('SendValidateCodeExceedsLimitForAccount') });
    // The main tenant's first send to its own contact at that mailbox is its own first.
    const own = (await a.main('ListMessageContacts', { PageSize: 100 })).Contacts.find((x: any) => x.Name === 'twina');
    await b.main('SendEmailVerificationForMessageContact', { ContactId: own.ContactId, EmailAddress: 'twina@example.com' });
  });

  it('a v1 request replayed on the other node gets SignatureNonceUsed', async () => {
    // pop-core signs a GET request; a recording proxy passes it to node A and keeps its URL.
    let recorded = '';
    const proxy: Server = createServer(async (req, res) => {
      recorded = req.url!;
      const answer = await fetch(`${a.proc.url}${req.url}`);
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const viaProxy = popCore(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, KEYS.main, 'GET');
      assert.ok((await viaProxy('GetResourceDirectory')).ResourceDirectory);
    } finally {
      proxy.close();
    }
    assert.match(recorded, /SignatureNonce=/);
    const replay = await fetch(`${b.proc.url}${recorded}`);
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).Code, 'SignatureNonceUsed');
  });

  let everyone: string[];
  let rootId: string;

  it(`a ${MEMBERS.toLocaleString('en')}-account fan-out and deletion, worked by both nodes' workers, happen exactly once`, async (t) => {
    const seeded: string[] = (await a.admin.post('/seed', { AccountId: KEYS.other.accountId, Accounts: MEMBERS })).AccountIds;
    everyone = [KEYS.other.accountId, ...seeded].sort();
    rootId = (await b.other('GetResourceDirectory')).ResourceDirectory.RootFolderId;
    const owners = new Set<string>();
    const seeOwners = (jobs: any[]) => jobs.forEach((j) => j.LockedBy && owners.add(j.LockedBy.split(':')[1]));

    const c = await faultContact(a.other, 'fanout');
    await b.other('AssociateMembers', { ContactId: c, Members: [rootId] });
    await waitForNoJobs(a.admin, seeOwners);
    const synced = await messageCenterEntries(database!, c);
    assert.deepEqual(synced.map((e) => e.accountId), everyone);
    assert.ok(synced.every((e) => e.source === 'Inherited' && e.via.join() === rootId));

    // A batch run twice would record its failures twice: three owners opted out, so three failures exactly.
    const lonely = [everyone[1]!, everyone[5000]!, everyone[9999]!];
    for (const id of lonely) await b.admin.put(`/accounts/${id}/message-center/owner`, { MessageTypes: ['ServiceMessage'] });
    assert.equal((await a.other('DeleteMessageContact', { ContactId: c, RetainContactInMembers: false })).Status, 'Deleting');
    await waitForNoJobs(b.admin, seeOwners);
    const status = (await b.other('GetMessageContactDeletionStatus', { ContactId: c })).ContactDeletionStatus;
    assert.equal(status.Status, 'Failed');
    assert.deepEqual(status.FailReasonList, lonely.map((AccountId) => ({ AccountId, MessageTypes: ['FaultMessage'] })));
    assert.deepEqual((await messageCenterEntries(database!, c)).map((e) => [e.accountId, e.via]), lonely.map((id) => [id, [id]]));
    t.diagnostic(`batches were seen held by the workers of pids ${[...owners].join(', ')} (nodes ${a.pid} and ${b.pid})`);
  });

  it('SIGKILL of the node working a fan-out: the others finish it once its lock goes stale', async () => {
    assert.ok(everyone, 'needs the members seeded above');
    const c = await faultContact(b.other, 'survivor');
    await a.other('AssociateMembers', { ContactId: c, Members: [rootId] });
    // Kill node A while it holds the fan-out, part-way through.
    await eventually('node A holding the fan-out part-way', async () => {
      const job = (await b.admin.get('/jobs')).Jobs.find((j: any) => j.ContactId === c);
      if (!job) throw new Error('the fan-out finished before node A could be killed in it');
      return job.Payload.afterAccountId !== '' && job.LockedBy?.includes(`:${a.pid}:`);
    }, { tries: 5000, intervalMs: 2 });
    await a.proc.kill('SIGKILL');
    assert.ok((await messageCenterEntries(database!, c)).length < everyone.length, 'killed part-way');

    // A worker-only node joins the survivor; between them they finish the job.
    const worker = await spawn('worker');
    assert.equal((await (await fetch(`${worker.url}/_rdmc/health`)).json()).Status, 'ok');
    assert.equal((await fetch(`${worker.url}/`)).status, 404, 'a worker node serves no API');
    await waitForNoJobs(b.admin);
    const synced = await messageCenterEntries(database!, c);
    assert.deepEqual(synced.map((e) => e.accountId), everyone);
    assert.ok(synced.every((e) => e.source === 'Inherited' && e.via.join() === rootId));
  });
});
