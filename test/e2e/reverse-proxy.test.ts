import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openApiClient } from '../helpers/clients.js';
import { capturedLog } from '../helpers/log.js';
import { nginxAvailable, startNginx, type Nginx } from '../helpers/nginx.js';
import { freePort } from '../helpers/ports.js';
import { v1Split, v3Request, type RawRequest } from '../helpers/raw.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { httpsRequest, issuedFiles } from '../helpers/tls.js';

const TOKEN = 'proxy-test-admin-token-0123456789';
const available = nginxAvailable('the reverse proxy test (docs/examples/nginx.conf)');
const { logger, lines } = capturedLog();
let temp: string;
let ca: string;
let rdmc: TestServer;
let proxy: Nginx;

before(async () => {
  if (!available) return;
  temp = await mkdtemp(join(tmpdir(), 'rdmc-nginx-'));
  // nginx presents a certificate of the test's own authority, for 127.0.0.1 and localhost.
  const files = await issuedFiles(temp);
  ca = files.caPem;
  const ports = { https: await freePort(), http: await freePort() };
  rdmc = await startTestServer({ adminToken: TOKEN, publicUrl: `https://127.0.0.1:${ports.https}` }, { logger });
  proxy = await startNginx(join(temp, 'nginx'), rdmc.port, files, ports);
});
after(async () => {
  await proxy?.stop();
  await rdmc?.stop();
  if (temp) await rm(temp, { recursive: true, force: true });
});

/** A request built and signed by hand, sent through the proxy as it is. */
const viaProxy = (req: RawRequest) => httpsRequest(`${proxy.url}${req.path}`, ca, { method: req.method, headers: req.headers, body: req.body });
const admin = (path: string, token?: string) => httpsRequest(`${proxy.url}/_rdmc${path}`, ca, token ? { headers: { authorization: `Bearer ${token}` } } : {});

test('signed calls of official clients pass through nginx: Host, query order and body as signed', { skip: !available }, async () => {
  const v3 = openApiClient(proxy.url, KEYS.main, 'v3', ca);
  const rd = (await v3('GetResourceDirectory')).ResourceDirectory;
  assert.equal((await openApiClient(proxy.url, KEYS.main, 'v1', ca)('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);

  // v1: parameters in the query out of sorted order, the rest in a form body.
  const added = await viaProxy(
    v1Split(
      [['Title', 'TechnicalDirector'], ['Name', 'proxytom'], ['Action', 'AddMessageContact']],
      [['MessageTypes.1', 'AccountExpenses'], ['EmailAddress', 'tom@example.com']],
    ),
  );
  assert.equal(added.status, 200, added.body);
  const contactId = JSON.parse(added.body).Contact.ContactId as string;
  // v3: a form body covered by x-acs-content-sha256, and the Host the client signed (port included).
  const got = await viaProxy(v3Request(new URL(proxy.url).host, { action: 'GetMessageContact', form: { ContactId: contactId } }));
  assert.equal(got.status, 200, got.body);
  assert.equal(JSON.parse(got.body).Contact.Name, 'proxytom');

  // What rdmc logged of it: the proxy's address, and what the proxy said of the client.
  const logged = lines.filter((l) => l.msg === 'rpc' && l.action === 'GetMessageContact').at(-1);
  assert.deepEqual(
    { peer: logged?.peer, tls: logged?.tls, forwardedFor: logged?.forwardedFor, forwardedProto: logged?.forwardedProto },
    { peer: '127.0.0.1', tls: false, forwardedFor: '127.0.0.1', forwardedProto: 'https' },
  );
});

test('verification links name the public URL and work through nginx', { skip: !available }, async () => {
  const v3 = openApiClient(proxy.url, KEYS.main, 'v3', ca);
  const contactId = (await v3('AddMessageContact', { Name: 'proxyann', EmailAddress: 'ann@example.com', Title: 'TechnicalDirector', MessageTypes: ['AccountExpenses'] })).Contact.ContactId as string;
  await v3('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'ann@example.com' });
  const outbox = JSON.parse((await admin('/outbox?To=ann%40example.com', TOKEN)).body);
  const link = outbox.Messages.find((m: { ContactId: string }) => m.ContactId === contactId)?.Link as string;
  assert.ok(link.startsWith(`${proxy.url}/verify/`), link);
  const page = await httpsRequest(link, ca);
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.equal((await httpsRequest(link, ca, { method: 'POST' })).status, 200);
  assert.equal((await v3('GetMessageContact', { ContactId: contactId })).Contact.EmailAddress, 'ann@example.com');
});

test('the admin API and the console answer through nginx only with the token', { skip: !available }, async () => {
  const refused = await admin('/health');
  assert.equal(refused.status, 401);
  assert.equal(JSON.parse(refused.body).Code, 'Unauthorized');
  assert.equal((await admin('/health', 'wrong-token')).status, 401);
  assert.equal(JSON.parse((await admin('/health', TOKEN)).body).Status, 'ok');

  // The console: the login form without a session, the bearer header or a login with the token.
  const page = await admin('/console');
  assert.equal(page.status, 303);
  assert.equal(page.headers.location, '/_rdmc/console/login');
  assert.equal((await admin('/console', TOKEN)).status, 200);
  const login = await httpsRequest(`${proxy.url}/_rdmc/console/login`, ca, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: TOKEN, next: '/_rdmc/console' }).toString(),
  });
  assert.equal(login.status, 303, login.body);
  const cookie = String(login.headers['set-cookie']);
  // nginx said X-Forwarded-Proto: https, so the session cookie is for HTTPS only.
  assert.match(cookie, /^rdmc_console_session=[^;]+;.*\bSecure\b/);
  const home = await httpsRequest(`${proxy.url}/_rdmc/console`, ca, { headers: { cookie: cookie.split(';')[0]! } });
  assert.equal(home.status, 200);
});

test('plain HTTP at the proxy is sent to HTTPS', { skip: !available }, async () => {
  const res = await fetch(`${proxy.redirectUrl}/verify/x?y=1`, { redirect: 'manual' });
  assert.equal(res.status, 301);
  assert.equal(res.headers.get('location'), 'https://127.0.0.1/verify/x?y=1');
});
