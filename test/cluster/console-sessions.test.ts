import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consoleLogin, csrfOf, getPage, postForm } from '../helpers/console-login.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Console sessions on two nodes sharing one PostgreSQL database, as behind a load balancer
 * that sends a browser's requests to either: a login on one node opens the console on the
 * other, a logout on the second ends the session on the first, and each node's form fields
 * are accepted by the other.
 */
const TOKEN = 'two-node-console-token-0123456789';

describe('console sessions on two nodes of one PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the two-node console session tests');
      return;
    }
    database = await createTestDatabase('postgres');
    a = await startTestServer({ adminToken: TOKEN }, {}, database);
    b = await startTestServer({ adminToken: TOKEN }, {}, database);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  test('a session made on one node works on the other, and a logout on either ends it on both', async (t) => {
    if (skipped) return t.skip(skipped);
    const cookie = await consoleLogin(a.url, TOKEN);
    const onB = await getPage(b.url, '/_rdmc/console/jobs', cookie);
    assert.equal(onB.status, 200);
    // The form field of node A's page is good on node B: it is derived from the session, not from the node.
    const csrfFromA = csrfOf(await (await getPage(a.url, '/_rdmc/console', cookie)).text());
    assert.equal(csrfOf(await onB.text()), csrfFromA);

    assert.equal((await postForm(b.url, '/_rdmc/console/logout', {}, { cookie })).status, 403);
    const out = await postForm(b.url, '/_rdmc/console/logout', { csrf: csrfFromA }, { cookie });
    assert.equal(out.status, 303);
    const onA = await getPage(a.url, '/_rdmc/console', cookie);
    assert.equal(onA.status, 303);
    assert.match(onA.headers.get('location')!, /^\/_rdmc\/console\/login\?ended=1$/);
  });
});
