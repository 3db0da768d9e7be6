import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { adminClient, waitForNoJobs } from '../helpers/admin.js';
import { failure, openApiCore } from '../helpers/clients.js';
import { addContact, directoryOf } from '../helpers/contacts.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { slowSendNode, slowSmsGateway, type SlowGateway } from '../helpers/slow-gateway.js';
import { send, timestamp, v1Request } from '../helpers/raw.js';
import { ACCESS_KEYS_ENV } from '../helpers/server.js';

/**
 * Nodes whose clocks disagree, on one PostgreSQL database: one node on time, two others ten
 * minutes fast (as an NTP fault leaves them; set here with RDMC_CLOCK_OFFSET_MS, no OS clock
 * changes). Every rule the nodes share reads the database's clock, so the fast nodes neither
 * take over a live worker's sends, nor schedule work ten minutes ahead, nor open a second
 * send-limit window, nor delete rows early, and every node gives a signature the same verdict.
 */
const FAST_MS = 10 * 60_000;
const MINUTE = 60_000;

describe('two nodes with clocks ten minutes apart, on one PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  let gateway: SlowGateway | undefined;
  /** On time: API and worker. */
  let onTime: ServerProcess;
  /** Ten minutes fast, API only: its jobs are run by the others. */
  let fastApi: ServerProcess;
  /** Ten minutes fast, API and worker, pruning a short outbox retention every second. */
  let fastWorker: ServerProcess;

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the clock-skew tests');
      return;
    }
    // An SMS gateway slower than the stale-lock time: only the live worker's heartbeat keeps its send its own.
    gateway = await slowSmsGateway(2_000);
    database = await createTestDatabase('postgres');
    const { args, env } = slowSendNode(database.db, gateway, ACCESS_KEYS_ENV);
    const fast = { ...env, RDMC_CLOCK_OFFSET_MS: String(FAST_MS) };
    onTime = await spawnServer(args, env);
    [fastApi, fastWorker] = await Promise.all([
      spawnServer([...args, '--no-worker'], fast),
      spawnServer(args, { ...fast, RDMC_RETENTION_OUTBOX_MS: String(MINUTE), RDMC_RETENTION_EVERY_MS: '1000' }),
    ]);
  });
  after(async () => {
    for (const p of [onTime, fastApi, fastWorker]) await p?.kill('SIGKILL');
    await database?.drop();
    await gateway?.close();
  });

  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(name, async (t) => (skipped ? t.skip(skipped) : fn(t)));

  it('the fast nodes see their skew: a warning in the log, the metric, and readiness (still ready)', async () => {
    const ready = async (p: ServerProcess) => (await fetch(`${p.url}/_rdmc/health/ready`)).json();
    assert.deepEqual(await ready(onTime), { Status: 'ready' });
    assert.deepEqual(await ready(fastApi), { Status: 'ready', Warnings: ['clock-skew'] });
    const metrics = await (await fetch(`${fastWorker.url}/_rdmc/metrics`)).text();
    const skew = Number(/^rdmc_clock_skew_seconds\S* (\S+)$/m.exec(metrics)?.[1]);
    assert.ok(Math.abs(skew - FAST_MS / 1000) < 5, `skew ${skew} s`);
    assert.match(fastApi.output(), /clock differs from the database's/);
    assert.doesNotMatch(onTime.output(), /clock differs/);
  });

  it('sends slower than the stale-lock time go out once each, with the worker of a fast node working beside an on-time one', async () => {
    const call = openApiCore(onTime.url);
    const phones = Array.from({ length: 6 }, (_, i) => `86-1370000000${i}`);
    const contacts = await Promise.all(phones.map((PhoneNumber, i) => addContact(call, { Name: `sms${String.fromCharCode(97 + i)}`, EmailAddress: `sms${i}@example.com`, PhoneNumber, Title: 'CEO', MessageTypes: ['FaultMessage'] })));
    for (const [i, ContactId] of contacts.entries()) await call('SendPhoneVerificationForMessageContact', { ContactId, PhoneNumber: phones[i]! });
    await waitForNoJobs(adminClient(onTime.url));
    assert.deepEqual([...gateway!.hits].sort(), phones);
  });

  it('a job enqueued by the fast node runs now, not ten minutes later', async () => {
    const call = openApiCore(fastApi.url);
    const contactId = await addContact(call, { Name: 'binder', EmailAddress: 'binder@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    const { rootId } = await directoryOf(call);
    await call('AssociateMembers', { ContactId: contactId, Members: [rootId] });
    const [job] = (await adminClient(onTime.url).get('/jobs')).Jobs.filter((j: any) => j.ContactId === contactId);
    if (job) assert.ok(Date.parse(job.RunAt) < Date.now() + MINUTE, `runs at ${job.RunAt}`);
    await waitForNoJobs(adminClient(onTime.url));
    // With the sync done, the contact takes changes again.
    await call('UpdateMessageContact', { ContactId: contactId, Title: 'FinanceDirector' });
  });

  it('one send-limit window: ten sends through the on-time node fill the minute for the fast node too', async () => {
    const onTimeCall = openApiCore(onTime.url);
    const contactId = await addContact(onTimeCall, { Name: 'limited', EmailAddress: 'limited@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    const params = { ContactId: contactId, EmailAddress: 'limited@example.com' };
    for (let i = 0; i < 10; i++) await onTimeCall('SendEmailVerificationForMessageContact', params);
    const refused = await failure(openApiCore(fastApi.url)('SendEmailVerificationForMessageContact', params));
    assert.equal(refused.code, 'SendValidateCodeExceedsLimitForAccount');
  });

  it('retention on the fast node deletes what is older than its retention by the database clock, nothing fresher', async () => {
    const client = new pg.Client({ connectionString: database!.db });
    await client.connect();
    try {
      const fresh = Number((await client.query("SELECT count(*) AS n FROM outbox_messages WHERE delivery <> 'pending'")).rows[0].n);
      assert.ok(fresh > 0, 'the sends above left outbox rows');
      // A row two minutes old by the database's clock: the fast node's next pass must delete it.
      await client.query(
        `INSERT INTO outbox_messages (id, message_id, channel, to_address, subject, body, created_at, delivery)
         VALUES ('om-old', 'm-old', 'email', 'old@example.com', 'old', 'old', floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint - 120000, 'recorded')`,
      );
      await eventually('the fast node to prune the old row', async () => (await client.query("SELECT 1 FROM outbox_messages WHERE id = 'om-old'")).rowCount === 0);
      const left = Number((await client.query("SELECT count(*) AS n FROM outbox_messages WHERE delivery <> 'pending'")).rows[0].n);
      assert.equal(left, fresh);
    } finally {
      await client.end();
    }
  });

  it('every node gives a signature timestamp the same verdict', async () => {
    const verdicts = async (p: ServerProcess) => {
      const statuses: number[] = [];
      for (const offset of [-14 * MINUTE, -16 * MINUTE, 14 * MINUTE, 16 * MINUTE]) {
        statuses.push((await send(p.url, v1Request({ timestamp: timestamp(offset) }))).status);
      }
      return statuses;
    };
    assert.deepEqual(await verdicts(onTime), [200, 400, 200, 400]);
    assert.deepEqual(await verdicts(fastApi), [200, 400, 200, 400]);
  });
});
