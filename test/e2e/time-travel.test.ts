import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { consoleLogin, getPage } from '../helpers/console-login.js';
import { addContact } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { KEYS, startTestServer } from '../helpers/server.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

/**
 * Time moved from outside the process (docs/operations.md, Time): `POST /_rdmc/time/advance`
 * makes a verification link and a console session expire and a job retry come due, in each
 * async mode, with no real wait; the clock is per node, so on a shared database it moves only
 * where RDMC_TIME_TRAVEL says so.
 */
const TOKEN = 'time-travel-test-token-0123456789';
const DAY_MS = 24 * 3_600_000;
const RETRY_MS = 10 * 60_000;

/** A loopback port nothing listens on yet: the mail server that is down until the test starts it. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

test('advancing the clock expires links and console sessions and brings retries due, in every async mode', async () => {
  const port = await freePort();
  const server = await startTestServer({
    smtpUrl: `smtp://127.0.0.1:${port}`,
    adminToken: TOKEN,
    jobRetryBaseMs: RETRY_MS,
    jobRetryMaxMs: RETRY_MS,
    timeTravel: true,
  });
  const admin = adminClient(server.url, TOKEN);
  const call = openApiCore(server.url);
  try {
    let advanced = 0;
    for (const mode of ['immediate', 'delay', 'manual'] as const) {
      await admin.put('/async', { Mode: mode, DelayMs: 0 });
      const address = `${mode}@example.com`;
      const contactId = await addContact(call, { EmailAddress: address, MessageTypes: ['SecurityMessage'] });
      await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: address });
      if (mode === 'manual') await admin.post('/jobs/run');
      const delivery = async () => (await admin.get(`/outbox?To=${encodeURIComponent(address)}`)).Messages[0];
      // The first attempt met a mail server that is down: the retry waits RETRY_MS of the server's time.
      const failed = await eventually(`${mode}: the first attempt to fail`, async () => ((await delivery()).Attempts === 1 ? delivery() : null));
      assert.equal(failed.Delivery, 'pending');
      assert.equal((await fetch(failed.Link)).status, 200);
      const session = await consoleLogin(server.url, TOKEN);
      assert.equal((await getPage(server.url, '/_rdmc/console', session)).status, 200);

      const smtp = new SmtpInbox();
      await smtp.start(port);
      try {
        const moved = await admin.post('/time/advance', { Milliseconds: DAY_MS + 1_000 });
        advanced += DAY_MS + 1_000;
        assert.equal(moved.AdvancedMs, advanced);
        if (mode === 'immediate') assert.equal((await delivery()).Delivery, 'sent', 'immediate: the retry ran before the answer');
        await eventually(`${mode}: the retry to deliver`, async () => (await delivery()).Delivery === 'sent');
        assert.equal(smtp.to(address).length, 1);
      } finally {
        await smtp.stop();
      }
      const expired = await fetch(failed.Link, { method: 'POST' });
      assert.equal(expired.status, 410, `${mode}: the link expired`);
      assert.equal((await getPage(server.url, '/_rdmc/console', session)).status, 303, `${mode}: the console session ended`);
    }
    const now = await admin.get('/time');
    assert.equal(now.AdvancedMs, advanced);
    assert.ok(Math.abs(Date.parse(now.Now) - (Date.now() + advanced)) < 60_000, 'the server reads the wall clock plus what was advanced');
  } finally {
    await server.stop();
  }
});

test('time moves forward only, by a whole number of milliseconds, and the CLI moves it too', async () => {
  const server = await startTestServer({ timeTravel: true });
  const admin = adminClient(server.url);
  try {
    for (const body of [{ Milliseconds: -1 }, { Milliseconds: 1.5 }, {}, { Milliseconds: 1, More: 1 }, { Milliseconds: 3650 * DAY_MS + 1 }]) {
      const refused = await admin.raw('POST', '/time/advance', body);
      assert.deepEqual([refused.status, refused.body.Code], [400, 'InvalidBody'], JSON.stringify(body));
    }
    assert.equal((await admin.raw('PUT', '/time', {})).status, 405);
    const cli = start(process.execPath, [CLI, 'time', 'advance', '90m', '--endpoint', server.url], { env: cleanEnv() });
    assert.equal((await cli.exited).code, 0, cli.stderr());
    assert.match(cli.stdout(), /^rdmc time: \d{4}-\d{2}-\d{2}T[\d:.]+Z \(advanced 5400000 ms\)\n$/);
    assert.equal((await admin.get('/time')).AdvancedMs, 90 * 60_000);
    const shown = start(process.execPath, [CLI, 'time', '--endpoint', server.url], { env: cleanEnv() });
    assert.equal((await shown.exited).code, 0, shown.stderr());
    assert.match(shown.stdout(), /\(advanced 5400000 ms\)/);
    const bad = start(process.execPath, [CLI, 'time', 'advance', 'soon', '--endpoint', server.url], { env: cleanEnv() });
    assert.equal((await bad.exited).code, 2);
    assert.match(bad.stderr(), /DURATION/);
  } finally {
    await server.stop();
  }
});

test('the clock moves only with RDMC_TIME_TRAVEL, on either store', async () => {
  // Off by default and when turned off: it would let an admin caller prune the audit trail.
  for (const extra of [{}, { timeTravel: false }]) {
    const server = await startTestServer(extra);
    try {
      const admin = adminClient(server.url);
      const refused = await admin.raw('POST', '/time/advance', { Milliseconds: 1_000 });
      assert.deepEqual([refused.status, refused.body.Code], [409, 'TimeTravelOff'], JSON.stringify(extra));
      assert.match(refused.body.Message, /RDMC_TIME_TRAVEL=true/);
      assert.equal((await admin.get('/time')).AdvancedMs, 0);
    } finally {
      await server.stop();
    }
  }
});

test('pinned bootstrap IDs survive a reset and an import; a file that gives them to another directory is refused', async () => {
  const server = await startTestServer({ bootstrapDirectoryId: 'rd-Fixed1', bootstrapRootFolderId: 'r-Fixed2' });
  const admin = adminClient(server.url);
  const call = openApiCore(server.url);
  try {
    const ids = async () => {
      const { ResourceDirectory } = await call('GetResourceDirectory');
      return [ResourceDirectory.ResourceDirectoryId, ResourceDirectory.RootFolderId];
    };
    assert.deepEqual(await ids(), ['rd-Fixed1', 'r-Fixed2']);
    await admin.post('/reset');
    assert.deepEqual(await ids(), ['rd-Fixed1', 'r-Fixed2']);
    // A file without the bootstrap directory: the bootstrap adds it back with its pinned IDs.
    await admin.put('/state', { Directories: [{ MasterAccountId: KEYS.other.accountId }] });
    assert.deepEqual(await ids(), ['rd-Fixed1', 'r-Fixed2']);
    const refused = await admin.raw('PUT', '/state', { Directories: [{ MasterAccountId: KEYS.other.accountId, ResourceDirectoryId: 'rd-Fixed1' }] });
    assert.deepEqual([refused.status, refused.body.Code], [400, 'InvalidState']);
    assert.match(refused.body.Message, /rd-Fixed1 is pinned to the bootstrap directory \(RDMC_BOOTSTRAP_DIRECTORY_ID\)/);
    assert.deepEqual(await ids(), ['rd-Fixed1', 'r-Fixed2'], 'a refused file changes nothing');
  } finally {
    await server.stop();
  }
});
