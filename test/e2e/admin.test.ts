import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact, ERR, rejects } from '../helpers/contacts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** The admin API of docs/reference/model.md section 7: health, async control, jobs, reset, and its access rule. */
describe('admin API on loopback, no token', () => {
  let server: TestServer;
  let admin: AdminClient;
  let call: Call;
  before(async () => {
    server = await startTestServer({ asyncMode: 'manual' });
    admin = adminClient(server.url);
    call = openApiCore(server.url);
  });
  after(() => server.stop());

  test('health answers once the store is ready', async () => {
    const health = await admin.get('/health');
    assert.equal(health.Status, 'ok');
    assert.match(health.RequestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  test('async mode: manual holds jobs until jobs/run, immediate runs them before the answer, delay after N ms', async () => {
    assert.deepEqual(await admin.get('/async').then(({ Mode }) => Mode), 'manual');
    const c = await addContact(call, { Name: 'held', EmailAddress: 'h@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await call('DeleteMessageContact', { ContactId: c, RetainContactInMembers: false });
    const [job] = (await admin.get('/jobs')).Jobs;
    assert.deepEqual([job.Kind, job.ContactId, job.Held, job.State, job.Attempts], ['contact.delete', c, true, 'pending', 0]);
    assert.equal((await admin.post('/jobs/run')).Released, 1);
    assert.deepEqual((await admin.get('/jobs')).Jobs, []);
    await rejects(call('GetMessageContact', { ContactId: c }), ERR.contactNotExists);

    assert.deepEqual((await admin.put('/async', { Mode: 'immediate' })).Mode, 'immediate');
    const d = await addContact(call, { Name: 'instant', EmailAddress: 'i@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    assert.equal((await call('DeleteMessageContact', { ContactId: d, RetainContactInMembers: false })).Status, 'Deleting');
    await rejects(call('GetMessageContact', { ContactId: d }), ERR.contactNotExists);

    assert.deepEqual(await admin.put('/async', { Mode: 'delay', DelayMs: 3_600_000 }).then(({ Mode, DelayMs }) => [Mode, DelayMs]), ['delay', 3_600_000]);
    const e = await addContact(call, { Name: 'later', EmailAddress: 'l@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
    await call('DeleteMessageContact', { ContactId: e, RetainContactInMembers: false });
    const [delayed] = (await admin.get('/jobs')).Jobs;
    assert.ok(Date.parse(delayed.RunAt) > Date.now() + 3_500_000, 'runs an hour from now');
    await admin.put('/async', { Mode: 'manual' });
  });

  test('jobs: the newest Limit jobs, newest first; Limit is 1 to 1000', async () => {
    await admin.post('/reset');
    const contacts = [];
    for (const name of ['first', 'second', 'third']) {
      const c = await addContact(call, { Name: name, EmailAddress: `${name}@example.com`, Title: 'CEO', MessageTypes: ['FaultMessage'] });
      await call('DeleteMessageContact', { ContactId: c, RetainContactInMembers: false });
      contacts.push(c);
    }
    assert.deepEqual((await admin.get('/jobs')).Jobs.map((j: { ContactId: string }) => j.ContactId), [...contacts].reverse());
    const bounded = (await admin.get('/jobs?Limit=2')).Jobs;
    assert.deepEqual(bounded.map((j: { ContactId: string }) => j.ContactId), [contacts[2], contacts[1]]);
    for (const limit of ['0', '1001', 'x']) {
      const r = await admin.raw('GET', `/jobs?Limit=${limit}`, undefined);
      assert.deepEqual([r.status, r.body.Code], [400, 'InvalidParameter.Limit'], limit);
    }
    await admin.post('/jobs/run');
  });

  test('reset wipes everything back to the bootstrap', async () => {
    await call('CreateFolder', { FolderName: 'Doomed' });
    const before = (await call('GetResourceDirectory')).ResourceDirectory;
    assert.equal((await admin.post('/reset')).Status, 'reset');
    const after = (await call('GetResourceDirectory')).ResourceDirectory;
    assert.equal(after.MasterAccountId, before.MasterAccountId);
    assert.equal((await call('ListFoldersForParent', {})).TotalCount, 0);
    assert.equal((await call('ListMessageContacts', {})).TotalCount, 0);
    assert.deepEqual((await admin.get('/jobs')).Jobs, []);
  });

  test('metrics count RPC answers by action and code, and job runs by outcome', async () => {
    await call('GetResourceDirectory');
    await call('GetMessageContact', { ContactId: 'c-0000000000000000' }).catch(() => undefined);
    const res = await fetch(`${server.url}/_rdmc/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^rdmc_rpc_requests_total\{action="GetResourceDirectory",code=""\} [1-9]\d*$/m);
    assert.match(text, /^rdmc_rpc_requests_total\{action="GetMessageContact",code="EntityNotExists.Contact"\} [1-9]\d*$/m);
    assert.match(text, /^rdmc_rpc_request_duration_seconds_count\{action="GetResourceDirectory"\} [1-9]\d*$/m);
    assert.match(text, /^rdmc_jobs_total\{kind="contact.delete",outcome="done"\} [1-9]\d*$/m);
  });

  test('refusals use the RPC error envelope', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['GET', '/nowhere', undefined, 404, 'NotFound'],
      ['DELETE', '/health', undefined, 405, 'MethodNotAllowed'],
      ['PUT', '/async', { Mode: 'sometimes' }, 400, 'InvalidBody'],
      ['PUT', '/accounts/1111111111111111/message-center/owner', { MessageTypes: ['Spam'] }, 400, 'InvalidBody'],
      ['GET', '/accounts/1234567890123456/message-center', undefined, 404, 'EntityNotExists.Account'],
      ['GET', '/outbox?Limit=0', undefined, 400, 'InvalidParameter.Limit'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await admin.raw(method, path, body);
      assert.deepEqual([r.status, r.body.Code], [status, code], `${method} ${path}`);
      // Alibaba's troubleshooting link only for codes Alibaba sends; the admin API's own codes have none.
      const alibabaCode = code.startsWith('EntityNotExists.');
      const fields = ['Code', 'HostId', 'Message', ...(alibabaCode ? ['Recommend'] : []), 'RequestId'];
      assert.deepEqual(Object.keys(r.body).sort(), fields, `${method} ${path}`);
    }
    const broken = await fetch(`${server.url}/_rdmc/async`, { method: 'PUT', body: '{not json', headers: { 'content-type': 'application/json' } });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { Code: string }).Code, 'InvalidBody');
  });
});

describe('admin API with RDMC_ADMIN_TOKEN', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: 'let-me-in' });
  });
  after(() => server.stop());

  test('requires the bearer token, even from loopback', async () => {
    const none = await adminClient(server.url).raw('GET', '/health');
    assert.deepEqual([none.status, none.body.Code], [401, 'Unauthorized']);
    const wrong = await adminClient(server.url, 'let-me-out').raw('GET', '/health');
    assert.equal(wrong.status, 401);
    assert.equal((await adminClient(server.url, 'let-me-in').get('/health')).Status, 'ok');
  });
});
