import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { locks } from '../../src/storage/locks.js';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, openApiCore } from '../helpers/clients.js';
import { TestClock } from '../helpers/clock.js';
import { countRows, createTestDatabase, execSql } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { startTestServer } from '../helpers/server.js';

const DAY = 24 * 3_600_000;
const DAYS = 45;

/**
 * Months of steady use in seconds: every simulated day makes a contact, sends it a link,
 * routes a message, deletes the contact and leaves a job that failed for good. With the
 * default retention the tables stop growing at what the retention periods hold.
 */
test('under steady load the outbox, links, failed jobs and deletion records stay bounded', async () => {
  const clock = new TestClock();
  const server = await startTestServer({}, { clock });
  try {
    const call = openApiCore(server.url);
    const admin = adminClient(server.url);
    for (let day = 0; day < DAYS; day++) {
      const name = `day${String.fromCharCode(97 + (day % 26))}${String.fromCharCode(97 + Math.floor(day / 26))}`;
      const id = (await call('AddMessageContact', { Name: name, EmailAddress: `${name}@example.com`, Title: 'CEO', MessageTypes: ['FaultMessage'] })).Contact.ContactId;
      await call('SendEmailVerificationForMessageContact', { ContactId: id, EmailAddress: `${name}@example.com` });
      await admin.post('/messages', { AccountId: '1111111111111111', MessageType: 'FaultMessage', Subject: 's', Body: 'b' });
      await call('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false });
      await server.store.transaction(locks.retention, async (tx) => {
        const job = await tx.jobs.insert({ kind: 'test.gone', payload: {}, contactId: null, runAt: clock.now(), held: true, lane: '', createdAt: clock.now(), outboxId: null });
        await tx.jobs.markFailed(job, 10, 'failed for good', clock.now());
        // A deletion record whose contact is gone (as a crash in an older version could leave).
        await tx.deletions.upsert({ contactId: `c-orphan${day}`, status: 'Failed', failReasons: [], startedAt: clock.now() });
      });
      clock.advance(DAY);
      await admin.post('/jobs/run');
    }
  } finally {
    await server.close();
  }
  const counts = await countRows(server.database, ['outbox_messages', 'verification_tokens', 'verification_sends', 'jobs', 'contact_deletions']);
  await server.database.drop();
  // Outbox and failed jobs: 30 days' worth; links: a day's life plus 7 days; sends: the last day.
  assert.ok(counts.outbox_messages! <= 31 && counts.outbox_messages! >= 29, JSON.stringify(counts));
  assert.ok(counts.verification_tokens! <= 9, JSON.stringify(counts));
  assert.ok(counts.verification_sends! <= 2, JSON.stringify(counts));
  assert.ok(counts.jobs! <= 31, JSON.stringify(counts));
  assert.equal(counts.contact_deletions, 0, JSON.stringify(counts));
});

/**
 * A large backlog to prune (a node back after a long stop, a retention period shortened):
 * the server listens before pruning starts, and other requests are answered between its
 * batches instead of after the whole backlog. Ordering, not timing: the events of one
 * process are recorded in the order they happen.
 */
test('pruning a large backlog starts after the server listens and lets requests in between its batches', async () => {
  const database = await createTestDatabase();
  const events: string[] = [];
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  try {
    await (await database.open()).close();
    // 40 batches of outbox messages sent long ago.
    await execSql(
      database,
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
       INSERT INTO outbox_messages (id, message_id, channel, to_address, subject, body, created_at, delivery)
       SELECT 'o' || i, 'm' || i, 'email', 'old@example.com', 's', 'b', 1, 'sent' FROM n`,
    );
    const logger = pino({ level: 'debug' }, { write: (line: string) => void events.push(JSON.parse(line).msg) });
    server = await startTestServer({}, { logger, onListening: () => events.push('listening') }, database);
    const answered = fetch(`${server.url}/_rdmc/health/ready`).then((r) => events.push(`answered ${r.status}`));
    await eventually('the backlog pruned', () => events.includes('retention pruned rows'));
    await answered;

    const batches = events.flatMap((e, i) => (e === 'retention pruned a batch' ? [i] : []));
    assert.ok(batches.length >= 40, `${batches.length} batches`);
    const listening = events.indexOf('listening');
    assert.ok(listening >= 0 && listening < batches[0]!, 'listening came before the first batch');
    const request = events.indexOf('answered 200');
    assert.ok(request >= 0 && request < batches[batches.length - 2]!, `the request was answered between batches, not after the backlog: ${events.slice(request - 2, request + 2)}`);
  } finally {
    await server?.close();
    await database.drop();
  }
});

/**
 * A deletion record is kept for RDMC_RETENTION_DELETION_RECORDS_MS, then retention prunes it
 * like every finished record, whether or not another account is deleted: GetAccountDeletionStatus
 * then answers as for an account it never knew.
 */
test('deletion records of member accounts are pruned by retention after RDMC_RETENTION_DELETION_RECORDS_MS', async (t) => {
  const clock = new TestClock();
  const server = await startTestServer({ retentionDeletionRecordsMs: 2 * 3_600_000 }, { clock });
  t.after(() => server.stop());
  const call = openApiCore(server.url);
  const admin = adminClient(server.url);
  await call('SetMemberDeletionPermission', { Status: 'Enabled' });
  const { AccountId } = (await call('CreateResourceAccount', { DisplayName: 'leaving' })).Account;
  await call('CheckAccountDelete', { AccountId });
  await call('DeleteAccount', { AccountId });
  const status = async () => (await call('GetAccountDeletionStatus', { AccountId })).RdAccountDeletionStatus.Status;
  assert.equal(await status(), 'Success');
  // Past the worker's next pruning (RDMC_RETENTION_EVERY_MS, an hour) but within the period: kept.
  clock.advance(3_600_000 + 1);
  await admin.post('/jobs/run');
  assert.equal(await status(), 'Success');
  clock.advance(2 * 3_600_000);
  await admin.post('/jobs/run');
  await assertFailure(status(), 404, 'EntityNotExists.Account', 'This resource directory account does not exist.');
});
