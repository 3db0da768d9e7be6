import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { failure, openApiClient, popCore } from '../helpers/clients.js';
import { TestClock } from '../helpers/clock.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';
import { KEYS, startTestServer } from '../helpers/server.js';

const TOKEN = 'audit-admin-token-0123456789';
const DAY = 24 * 3_600_000;

/** Every log line the server writes, parsed. */
function capturedLog() {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, stream) };
}

const audit = async (admin: AdminClient, query = '') => (await admin.get(`/audit${query ? `?${query}` : ''}`)) as { Records: any[]; NextToken?: string };

test('RPC writes through official clients are recorded with key, account, peer and targets; failed writes with their code; reads are not', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const v3 = openApiClient(server.url);
    const { Contact } = await v3('AddMessageContact', { Name: 'audited', EmailAddress: 'audited@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    const contactId = Contact.ContactId as string;
    await popCore(server.url, KEYS.main, 'POST')('AssociateMembers', { ContactId: contactId, Members: ['1111111111111111'] });
    await v3('GetMessageContact', { ContactId: contactId });
    await v3('ListMessageContacts', {});
    const refused = await failure(v3('UpdateMessageContact', { ContactId: 'c-NoSuchContact00000', Name: 'x' }));

    const { Records } = await audit(admin);
    assert.deepEqual(Records.map((r) => r.Action), ['UpdateMessageContact', 'AssociateMembers', 'AddMessageContact']);
    const [failed, associated, added] = Records;
    assert.deepEqual(
      { ...added, Time: undefined, RequestId: undefined },
      {
        Time: undefined, RequestId: undefined, IdentityType: 'access-key', Actor: KEYS.main.accessKeyId, AccessKeyId: KEYS.main.accessKeyId,
        AccountId: KEYS.main.accountId, PeerAddress: '127.0.0.1', Action: 'AddMessageContact', Targets: [contactId], Result: 'Success', Status: 200, Code: '',
      },
    );
    assert.match(added.RequestId, /^[0-9A-F-]{36}$/);
    assert.deepEqual(associated.Targets, [contactId, '1111111111111111']);
    assert.equal(failed.Result, 'Failure');
    assert.equal(failed.Status, refused.status);
    assert.equal(failed.Code, refused.code);
    assert.deepEqual(failed.Targets, ['c-NoSuchContact00000']);
    // A write refused before its parameters were read is recorded too.
    await failure(v3('DeleteMessageContact', {}));
    const [missing] = (await audit(admin, 'Action=DeleteMessageContact')).Records;
    assert.equal(missing.Code, 'MissingParameter.ContactId');
  } finally {
    await server.stop();
  }
});

test('admin writes are recorded as "loopback" without a token and "token" with one; GETs are not; neither the token nor a body is kept', async () => {
  const { lines, logger } = capturedLog();
  const loopback = await startTestServer();
  const withToken = await startTestServer({ adminToken: TOKEN }, { logger });
  const folder = await mkdtemp(join(tmpdir(), 'rdmc-audit-'));
  try {
    const local = adminClient(loopback.url);
    await local.put('/async', { Mode: 'manual' });
    await local.raw('DELETE', '/outbox');
    await local.post('/reset');
    await local.get('/jobs');
    const actions = (await audit(local)).Records.map((r) => `${r.IdentityType} ${r.Action} ${r.Result}`);
    assert.deepEqual(actions, ['loopback POST /_rdmc/reset Success', 'loopback DELETE /_rdmc/outbox Success', 'loopback PUT /_rdmc/async Success']);

    const admin = adminClient(withToken.url, TOKEN);
    const owner = '1111111111111111';
    await admin.put(`/accounts/${owner}/message-center/owner`, { MessageTypes: ['FaultMessage'] });
    await admin.raw('DELETE', '/outbox?MessageId=NO-SUCH-MESSAGE');
    const refused = await admin.raw('PUT', '/async', { Mode: 'sometimes' });
    assert.equal(refused.status, 400);
    // What a refused request names is kept without its control characters (PostgreSQL cannot even store NUL).
    assert.equal((await admin.raw('DELETE', '/outbox?MessageId=%00bad%0A')).status, 400);
    // Refused by the access rule: nobody proved who they are, so nothing is recorded.
    assert.equal((await adminClient(withToken.url, 'wrong-token').raw('POST', '/reset')).status, 401);
    // rdmc import, the command, reaches the state through the admin API.
    const state = (await admin.get('/state')).State;
    const file = join(folder, 'state.json');
    await writeFile(file, JSON.stringify(state));
    const cli = start(process.execPath, [CLI, 'import', file, '--endpoint', withToken.url], { env: cleanEnv({ RDMC_ADMIN_TOKEN: TOKEN }) });
    assert.equal((await cli.exited).code, 0, cli.stderr());

    const records = (await audit(admin)).Records;
    assert.deepEqual(
      records.map((r) => [r.IdentityType, r.Actor, r.Action, r.Targets, r.Status, r.Code]),
      [
        ['token', 'token', 'PUT /_rdmc/state', [], 200, ''],
        ['token', 'token', 'DELETE /_rdmc/outbox', ['\uFFFDbad\uFFFD'], 400, 'InvalidParameter.MessageId'],
        ['token', 'token', 'PUT /_rdmc/async', [], 400, 'InvalidBody'],
        ['token', 'token', 'DELETE /_rdmc/outbox', ['NO-SUCH-MESSAGE'], 200, ''],
        ['token', 'token', 'PUT /_rdmc/accounts/{Id}/message-center/owner', [owner], 200, ''],
      ],
    );
    // One log line per record, same fields; the token is nowhere, nor any body.
    const logged = lines.filter((l) => l.msg === 'audit');
    assert.deepEqual(logged.map((l) => [l.action, l.identityType, l.status]), records.map((r) => [r.Action, r.IdentityType, r.Status]).reverse());
    assert.equal(logged[0]!.level, 30);
    assert.equal(logged[0]!.requestId, records.at(-1).RequestId);
    assert.deepEqual(lines.filter((l) => l.level >= 50), [], 'an error was logged');
    const everything = JSON.stringify(lines) + JSON.stringify(records);
    assert.ok(!everything.includes(TOKEN), 'the admin token appears in a record or the log');
    assert.ok(!everything.includes('sometimes'), 'a request body appears in a record or the log');
  } finally {
    await rm(folder, { recursive: true, force: true });
    await loopback.stop();
    await withToken.stop();
  }
});

test('confirming a verification link is recorded with the contact and its directory, never the token; a second confirmation as a failure', async () => {
  const { lines, logger } = capturedLog();
  const server = await startTestServer({}, { logger });
  try {
    const admin = adminClient(server.url);
    const v3 = openApiClient(server.url);
    const { Contact } = await v3('AddMessageContact', { Name: 'linked', EmailAddress: 'linked@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await v3('SendEmailVerificationForMessageContact', { ContactId: Contact.ContactId, EmailAddress: 'linked@example.com' });
    const [message] = (await admin.get('/outbox?To=linked@example.com')).Messages;
    const token = new URL(message.Link).pathname.split('/').pop()!;
    assert.equal((await fetch(message.Link, { method: 'POST' })).status, 200);
    assert.equal((await fetch(message.Link, { method: 'POST' })).status, 410);
    // A link nobody was sent proves nobody's identity: not recorded.
    assert.equal((await fetch(`${server.url}/verify/${'x'.repeat(43)}`, { method: 'POST' })).status, 404);
    // Opening a link (GET) reads only.
    await fetch(message.Link);

    const { ResourceDirectory } = await v3('GetResourceDirectory');
    const records = (await audit(admin, 'Action=ConfirmVerificationLink')).Records;
    assert.deepEqual(
      records.map((r) => [r.IdentityType, r.Actor, r.Targets, r.Status, r.Code]),
      [
        ['link', 'verification-link', [Contact.ContactId, ResourceDirectory.ResourceDirectoryId], 410, 'Link.Used'],
        ['link', 'verification-link', [Contact.ContactId, ResourceDirectory.ResourceDirectoryId], 200, ''],
      ],
    );
    assert.equal((await audit(admin, `TargetId=${Contact.ContactId}`)).Records.length, 4);
    const everything = JSON.stringify(lines) + JSON.stringify((await audit(admin)).Records);
    assert.ok(!everything.includes(token), 'a verification token appears in a record or the log');
    assert.ok(!everything.includes(KEYS.main.accessKeySecret), 'an access key secret appears in a record or the log');
  } finally {
    await server.stop();
  }
});

test('the audit list filters by time, action, actor, target and result, and pages with NextToken', async () => {
  const clock = new TestClock();
  const server = await startTestServer({}, { clock });
  try {
    const admin = adminClient(server.url);
    const main = openApiClient(server.url);
    const other = openApiClient(server.url, KEYS.other);
    await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    // Half a second between records and bounds: a node's clock correction (PostgreSQL) moves by milliseconds at most.
    const start = new Date(clock.now() + 500).toISOString();
    clock.advance(1_000);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await main('AddMessageContact', { Name: `page${'abcde'[i]}`, EmailAddress: `p${i}@example.com`, Title: 'CEO', MessageTypes: ['FaultMessage'] })).Contact.ContactId);
      clock.advance(1_000);
    }
    const end = new Date(clock.now() - 500).toISOString();
    clock.advance(1_000);
    await failure(other('DeleteMessageContact', { ContactId: ids[0] }));

    // Paging: 2 at a time, newest first, every record once.
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await audit(admin, `Action=AddMessageContact&MaxResults=2${token ? `&NextToken=${token}` : ''}`);
      seen.push(...page.Records.map((r) => r.Targets[0]));
      token = page.NextToken;
      pages++;
    } while (token);
    assert.deepEqual(seen, [...ids].reverse());
    assert.equal(pages, 3);

    const only = async (query: string) => (await audit(admin, query)).Records.map((r) => `${r.Actor} ${r.Action} ${r.Result}`);
    assert.deepEqual(await only(`StartTime=${start}&EndTime=${end}&MaxResults=100`), Array(5).fill(`${KEYS.main.accessKeyId} AddMessageContact Success`));
    assert.deepEqual(await only(`Actor=${KEYS.other.accessKeyId}`), [`${KEYS.other.accessKeyId} DeleteMessageContact Failure`, `${KEYS.other.accessKeyId} EnableResourceDirectory Success`]);
    assert.deepEqual(await only('Result=Failure'), [`${KEYS.other.accessKeyId} DeleteMessageContact Failure`]);
    assert.deepEqual(await only(`TargetId=${ids[0]}`), [`${KEYS.other.accessKeyId} DeleteMessageContact Failure`, `${KEYS.main.accessKeyId} AddMessageContact Success`]);
    assert.deepEqual(await only(`TargetId=${ids[0]}&Result=Success`), [`${KEYS.main.accessKeyId} AddMessageContact Success`]);
    assert.deepEqual(await only(`Action=AddMessageContact&Actor=${KEYS.other.accessKeyId}`), []);
    assert.equal((await audit(admin, 'Result=Success')).Records.length, 6);

    for (const [query, code] of [
      ['MaxResults=101', 'InvalidParameter.MaxResults'],
      ['MaxResults=0', 'InvalidParameter.MaxResults'],
      ['NextToken=bm9wZQ', 'InvalidParameter.NextToken'],
      ['StartTime=yesterday', 'InvalidParameter.StartTime'],
      ['Result=Maybe', 'InvalidParameter.Result'],
      ['Action=%01', 'InvalidParameter.Action'],
    ]) {
      const answer = await admin.raw('GET', `/audit?${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.Code, code, query);
    }
  } finally {
    await server.stop();
  }
});

test('retention prunes audit records once they are older than RDMC_RETENTION_AUDIT_MS, and reset keeps the trail', async () => {
  const clock = new TestClock();
  const server = await startTestServer({ retentionAuditMs: 10 * DAY, retentionEveryMs: 1_000 }, { clock });
  try {
    const admin = adminClient(server.url);
    const v3 = openApiClient(server.url);
    await v3('AddMessageContact', { Name: 'old', EmailAddress: 'old@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    clock.advance(6 * DAY);
    await admin.post('/reset');
    assert.deepEqual((await audit(admin)).Records.map((r) => r.Action), ['POST /_rdmc/reset', 'AddMessageContact']);
    clock.advance(5 * DAY);
    await admin.post('/jobs/run');
    assert.deepEqual((await audit(admin)).Records.map((r) => r.Action), ['POST /_rdmc/jobs/run', 'POST /_rdmc/reset']);
  } finally {
    await server.stop();
  }
});

test('the console shows the audit trail with its filters and pages', async () => {
  const server = await startTestServer();
  try {
    const v3 = openApiClient(server.url);
    const { Contact } = await v3('AddMessageContact', { Name: 'shown', EmailAddress: 'shown@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await adminClient(server.url).put('/async', { Mode: 'immediate' });
    const page = await (await fetch(`${server.url}/_rdmc/console/audit?Action=AddMessageContact`)).text();
    assert.match(page, /<h1>Audit trail<\/h1>/);
    assert.match(page, new RegExp(`AddMessageContact[\\s\\S]*${Contact.ContactId}`));
    assert.match(page, new RegExp(KEYS.main.accessKeyId));
    assert.doesNotMatch(page, /PUT \/_rdmc\/async/);
    assert.match(page, /name="Action" value="AddMessageContact"/);
    const all = await (await fetch(`${server.url}/_rdmc/console/audit?MaxResults=1`)).text();
    assert.match(all, /PUT \/_rdmc\/async/);
    assert.match(all, /href="\/_rdmc\/console\/audit\?MaxResults=1&amp;NextToken=[A-Za-z0-9_-]+"/);
    const home = await (await fetch(`${server.url}/_rdmc/console`)).text();
    assert.match(home, /<a href="\/_rdmc\/console\/audit">Audit<\/a>/);
    const bad = await fetch(`${server.url}/_rdmc/console/audit?MaxResults=zero`);
    assert.equal(bad.status, 400);
  } finally {
    await server.stop();
  }
});
