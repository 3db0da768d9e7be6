import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locks } from '../../src/services/locks.js';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { TestClock } from '../helpers/clock.js';
import { countRows } from '../helpers/database.js';
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
        const job = await tx.jobs.insert({ kind: 'test.gone', payload: {}, contactId: null, runAt: clock.now(), held: true, lane: '', createdAt: clock.now() });
        await tx.jobs.markFailed(job, 10, 'failed for good');
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
