import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { send, type RawResponse } from '../helpers/raw.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The admin API and the console against a web page in the developer's browser
 * (docs/reference/model.md section 7): a cross-site "simple" POST (text/plain, no preflight)
 * changes nothing, a DNS-rebinding page (its own name in Host) reads nothing, and the
 * operator's own callers (the CLI, the tests, the console in a browser) go on working.
 */
const STATE = {
  Directories: [
    {
      MasterAccountId: KEYS.main.accountId,
      Accounts: [{ DisplayName: 'prod' }],
      Contacts: [{ Name: 'tom', Title: 'TechnicalDirector', MessageTypes: ['SecurityMessage'], EmailAddress: 'tom@example.com', Members: ['prod'] }],
    },
  ],
};

/** Exactly the headers a browser sends for `fetch(url, {method: 'POST', mode: 'no-cors', body})` from another site. */
const CROSS_SITE = { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'content-type': 'text/plain;charset=UTF-8' };

const hostOf = (server: TestServer) => new URL(server.url).host;
const portOf = (server: TestServer) => new URL(server.url).port;

function request(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<RawResponse> {
  return send(server.url, { method, path, headers: { host: hostOf(server), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
}

function assertForbidden(r: RawResponse, what: string) {
  assert.deepEqual([r.status, r.json?.Code], [403, 'Forbidden'], `${what}: ${r.text}`);
  assert.deepEqual(Object.keys(r.json!).sort(), ['Code', 'HostId', 'Message', 'RequestId'], what);
}

describe('admin API without a token, against pages of other sites', () => {
  let server: TestServer;
  let admin: AdminClient;
  let prod: string;
  before(async () => {
    server = await startTestServer({ asyncMode: 'manual' });
    admin = adminClient(server.url);
    await admin.post('/state', STATE);
    prod = (await openApiCore(server.url)('ListAccounts', {})).Accounts.Account.find((a: { DisplayName: string }) => a.DisplayName === 'prod').AccountId;
  });
  after(() => server.stop());

  const snapshot = async () => ({ state: (await admin.get('/state')).State, outbox: (await admin.get('/outbox')).Messages, jobs: (await admin.get('/jobs')).Jobs });

  test('a cross-site simple POST to reset, seed, state, messages or jobs/run is refused and changes nothing', async () => {
    const before = await snapshot();
    const message = { AccountId: prod, MessageType: 'SecurityMessage', Subject: 'Urgent', Body: 'Log in at http://evil.example' };
    const writes: Array<[string, unknown]> = [
      ['/_rdmc/reset', undefined],
      ['/_rdmc/seed', { Accounts: 3 }],
      ['/_rdmc/state', { Directories: [{ MasterAccountId: KEYS.main.accountId, Accounts: [{ DisplayName: 'planted' }] }] }],
      ['/_rdmc/messages', message],
      ['/_rdmc/jobs/run', undefined],
    ];
    for (const [path, body] of writes) {
      assertForbidden(await request(server, 'POST', path, CROSS_SITE, body), path);
      // Either header alone is enough: some browsers send only one of them.
      assertForbidden(await request(server, 'POST', path, { origin: 'http://evil.example', 'content-type': 'text/plain' }, body), `${path}, Origin only`);
      assertForbidden(await request(server, 'POST', path, { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, body), `${path}, Sec-Fetch-Site only`);
    }
    // Another port of the same machine is the same site, not the same origin.
    assertForbidden(await request(server, 'POST', '/_rdmc/reset', { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' }), 'same-site');
    assert.deepEqual(await snapshot(), before);
  });

  test('a JSON route refuses any other Content-Type with 415, even from the server itself', async () => {
    const before = await snapshot();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const r = await request(server, 'POST', '/_rdmc/seed', type ? { 'content-type': type } : {}, { Accounts: 3 });
      assert.deepEqual([r.status, r.json?.Code], [415, 'UnsupportedMediaType'], type);
    }
    assert.deepEqual(await snapshot(), before);
    const charset = await request(server, 'POST', '/_rdmc/seed', { 'content-type': 'Application/JSON; charset=utf-8' }, { Accounts: 1 });
    assert.equal(charset.status, 200, charset.text);
  });

  test('a DNS-rebinding page (its own name in Host) reads nothing: outbox, state, backup, console', async () => {
    const evil = `rebind.evil.example:${portOf(server)}`;
    for (const path of ['/_rdmc/outbox', '/_rdmc/state', '/_rdmc/backup', '/_rdmc/health']) {
      // The page is same-origin with itself: its fetch carries its own origin, or none for a GET.
      assertForbidden(await request(server, 'GET', path, { host: evil, 'sec-fetch-site': 'same-origin' }), path);
      assertForbidden(await request(server, 'GET', path, { host: evil, origin: `http://${evil}` }), `${path} with Origin`);
    }
    const page = await request(server, 'GET', '/_rdmc/console/outbox', { host: evil, accept: 'text/html' });
    assert.equal(page.status, 403);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.doesNotMatch(page.text, /verify\//);
  });

  test('the operator\'s own requests still pass: CLI-style, same-origin browser, every name of loopback', async () => {
    const port = portOf(server);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost']) {
      const r = await request(server, 'GET', '/_rdmc/outbox', { host });
      assert.equal(r.status, 200, host);
    }
    const origin = `http://localhost:${port}`;
    const sameOrigin = { host: `localhost:${port}`, origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };
    assert.equal((await request(server, 'POST', '/_rdmc/seed', sameOrigin, { Accounts: 1 })).status, 200);
    const typed = await request(server, 'GET', '/_rdmc/console', { host: `localhost:${port}`, 'sec-fetch-site': 'none', accept: 'text/html' });
    assert.equal(typed.status, 200);
    assert.equal(typeof (await admin.post('/jobs/run')).Released, 'number');
    const routed = await admin.post('/messages', { AccountId: prod, MessageType: 'SecurityMessage', Subject: 's', Body: 'b' });
    assert.deepEqual(routed.Recipients.map((r: { To: string }) => r.To), ['tom@example.com']);
  });
});

describe('admin API with RDMC_ADMIN_TOKEN, against pages of other sites', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: 'let-me-in', publicUrl: 'https://rdmc.example.com' });
  });
  after(() => server.stop());
  const bearer = { authorization: 'Bearer let-me-in' };

  test('the token does not let a cross-site request in', async () => {
    const elsewhere: Array<Record<string, string>> = [CROSS_SITE, { origin: 'http://evil.example' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of elsewhere) {
      assertForbidden(await request(server, 'POST', '/_rdmc/reset', { ...bearer, ...headers }), JSON.stringify(headers));
      assertForbidden(await request(server, 'GET', '/_rdmc/state', { ...bearer, ...headers }), JSON.stringify(headers));
    }
  });

  test('with the token, any Host passes, and the page at RDMC_PUBLIC_URL is at home', async () => {
    assert.equal((await request(server, 'GET', '/_rdmc/state', { ...bearer, host: 'rdmc.internal:8080' })).status, 200);
    const home = { ...bearer, host: 'backend:8080', origin: 'https://rdmc.example.com', 'content-type': 'application/json' };
    assert.equal((await request(server, 'PUT', '/_rdmc/async', home, { Mode: 'immediate' })).status, 200);
    assert.equal((await request(server, 'GET', '/_rdmc/health', { host: 'rdmc.internal' })).status, 401);
  });
});
