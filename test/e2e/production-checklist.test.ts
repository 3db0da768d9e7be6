import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openApiClient } from '../helpers/clients.js';
import { KEYS, startTestServer } from '../helpers/server.js';
import { httpsRequest } from '../helpers/tls.js';

const TOKEN = 'checklist-admin-token-0123456789abcdef';

/**
 * The production checklist of docs/operations.md, walked on one node configured as it says
 * (HTTPS from the local certificate authority beside HTTP, an admin token), on the store under
 * test: each step below is one item of the list. The reverse proxy has its own test
 * (reverse-proxy.test.ts), as have PostgreSQL backups by pg_dump (not rdmc's to run).
 */
test('the production checklist, walked: TLS, token and console login, health and metrics, audit, export and restore, schema current', async () => {
  const caDir = await mkdtemp(join(tmpdir(), 'rdmc-checklist-'));
  const server = await startTestServer({ tlsPort: 0, tlsCaDir: caDir, adminToken: TOKEN });
  try {
    // 1. TLS: the node serves HTTPS with the local authority's certificate, which clients trust by its PEM.
    const ca = await readFile(join(caDir, 'ca.pem'), 'utf8');
    const base = server.https!.url;
    const admin = (method: string, path: string, body?: unknown) =>
      httpsRequest(`${base}/_rdmc${path}`, ca, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    // 2. Token: the admin API refuses a caller without it, loopback included.
    assert.equal((await httpsRequest(`${base}/_rdmc/jobs`, ca)).status, 401);

    // 3. Console login: the token buys a session cookie that HTTPS marks Secure.
    const login = await httpsRequest(`${base}/_rdmc/console/login`, ca, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, next: '/_rdmc/console' }).toString(),
    });
    assert.equal(login.status, 303);
    const cookie = String(login.headers['set-cookie']);
    assert.match(cookie, /rdmc_console_session=/);
    assert.match(cookie, /; Secure/i);
    assert.match(cookie, /; HttpOnly/i);
    const session = cookie.split(';')[0]!;
    assert.equal((await httpsRequest(`${base}/_rdmc/console`, ca, { headers: { cookie: session } })).status, 200);

    // 4. Health for the load balancer, with no token: live, and ready (which also says the schema is this build's).
    assert.equal((await httpsRequest(`${base}/_rdmc/health/live`, ca)).status, 200);
    const ready = await httpsRequest(`${base}/_rdmc/health/ready`, ca);
    assert.equal(ready.status, 200);
    assert.equal(JSON.parse(ready.body).Status, 'ready');

    // 5. Metrics with the token: build info and a reachable cluster view.
    assert.equal((await httpsRequest(`${base}/_rdmc/metrics`, ca)).status, 401);
    const metrics = (await admin('GET', '/metrics')).body;
    assert.match(metrics, /^rdmc_build_info\{[^}]*\} 1$/m);
    assert.match(metrics, /^rdmc_cluster_up 1$/m);

    // 6. Audit: a write through an official client over HTTPS is on record with its key.
    const call = openApiClient(base, KEYS.main, 'v3', ca);
    const { ContactId } = (await call('AddMessageContact', { Name: 'checklist', EmailAddress: 'checklist@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] })).Contact;
    const records = JSON.parse((await admin('GET', '/audit?Action=AddMessageContact')).body).Records as Array<Record<string, unknown>>;
    assert.equal(records.length, 1);
    assert.equal(records[0]!.AccessKeyId, KEYS.main.accessKeyId);
    assert.deepEqual(records[0]!.Targets, [ContactId]);

    // 7. Backups: an export restores the same state after a reset wiped it.
    const exported = await admin('GET', '/state');
    assert.equal(exported.status, 200);
    const state = JSON.parse(exported.body);
    assert.equal((await admin('POST', '/reset', {})).status, 200);
    assert.deepEqual((await call('ListMessageContacts', {})).Contacts, []);
    const restored = await admin('PUT', '/state', state.State);
    assert.equal(restored.status, 200, restored.body);
    const names = ((await call('ListMessageContacts', {})).Contacts as Array<{ Name: string }>).map((c) => c.Name);
    assert.deepEqual(names, ['checklist']);
  } finally {
    await server.stop();
    await rm(caDir, { recursive: true, force: true });
  }
});
