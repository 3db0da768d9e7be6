import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { LOGIN_FAILURES, LOGIN_WINDOW_MS } from '../../src/console/login-attempts.js';
import { TestClock } from '../helpers/clock.js';
import { consoleLogin, csrfOf, getPage, postForm } from '../helpers/console-login.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The console's login over plain HTTP, on SQLite and PostgreSQL: the admin token is exchanged
 * for a session cookie, the session ends on logout (on the server, not just in the browser),
 * when idle and at the end of its lifetime (the test moves the domain's clock), and survives a
 * restart; every console form needs its session's CSRF field; wrong tokens are refused without
 * a hint and a peer gets ten tries a quarter hour; the JSON API keeps needing the bearer token.
 */
const TOKEN = 'console-login-test-token-0123456789';
const IDLE_MS = 10 * 60_000;
const LIFETIME_MS = 60 * 60_000;
/** Each test logs in from an address of its own (through a proxy on this host), so their failures are counted apart. */
const from = (address: string) => ({ 'x-forwarded-for': address });

describe('console login with RDMC_ADMIN_TOKEN set', () => {
  const clock = new TestClock();
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ adminToken: TOKEN, consoleIdleTimeoutMs: IDLE_MS, consoleSessionLifetimeMs: LIFETIME_MS }, { clock });
  });
  after(() => server.stop());

  test('a browser without a session is sent to the login form, which keeps the page it asked for', async () => {
    const r = await getPage(server.url, '/_rdmc/console/outbox?To=a%40example.com');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/_rdmc/console/login?next=%2F_rdmc%2Fconsole%2Foutbox%3FTo%3Da%2540example.com');
    const form = await getPage(server.url, r.headers.get('location')!);
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /<input type="hidden" name="next" value="\/_rdmc\/console\/outbox\?To=a%40example.com">/);
    assert.match(html, /<input id="token" name="token" type="password"/);
    // After the login, the browser lands on that page.
    const login = await postForm(server.url, '/_rdmc/console/login', { token: TOKEN, next: '/_rdmc/console/outbox?To=a%40example.com' }, from('198.51.100.1'));
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/_rdmc/console/outbox?To=a%40example.com');
    // The verification pages stay open to anyone with a link.
    const verify = await getPage(server.url, '/verify/AAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(verify.status, 404);
    assert.match(await verify.text(), /<h1>/);
  });

  test('the token opens a session: an HttpOnly, SameSite=Strict cookie for the console only, the database keeps its hash only', async () => {
    const r = await postForm(server.url, '/_rdmc/console/login', { token: TOKEN, next: '/_rdmc/console' }, from('198.51.100.2'));
    assert.equal(r.status, 303);
    const setCookie = r.headers.get('set-cookie')!;
    const [pair, ...attributes] = setCookie.split('; ');
    assert.deepEqual(attributes.sort(), ['HttpOnly', 'Path=/_rdmc/console', 'SameSite=Strict'], 'plain HTTP: not Secure, and no lifetime in the browser');
    const secret = pair!.split('=')[1]!;
    const page = await getPage(server.url, '/_rdmc/console', pair);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form method="post" action="\/_rdmc\/console\/logout"[^>]*><input type="hidden" name="csrf" value="[^"]+"><button type="submit">Log out<\/button><\/form>/);
    assert.ok(!html.includes(secret), 'the page never shows the session secret');
    // The cookie opens the console, not the JSON API.
    assert.equal((await getPage(server.url, '/_rdmc/outbox', pair)).status, 401);
    const stored = await server.store.read((tx) => tx.consoleSessions.byHash(createHash('sha256').update(secret).digest('hex')));
    assert.ok(stored, 'the session is found by the hash of its secret');
    assert.equal(await server.store.read((tx) => tx.consoleSessions.byHash(secret)), null, 'no row holds the secret itself');
  });

  test('behind a proxy on this host that says the browser came over HTTPS, the cookie is Secure', async () => {
    const r = await postForm(server.url, '/_rdmc/console/login', { token: TOKEN }, { ...from('198.51.100.3'), 'x-forwarded-proto': 'https' });
    assert.ok(r.headers.get('set-cookie')!.split('; ').includes('Secure'));
  });

  test('a wrong token is refused on the form, with no hint and no cookie; the form shows no token back', async () => {
    for (const token of ['', 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const r = await postForm(server.url, '/_rdmc/console/login', { token, next: '/_rdmc/console/jobs' }, from('198.51.100.4'));
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('set-cookie'), null);
      const html = await r.text();
      assert.match(html, /<p role="alert" class="failed">That is not the admin token.<\/p>/);
      if (token) assert.ok(!html.includes(token), 'the typed token is not shown back');
      assert.match(html, /name="next" value="\/_rdmc\/console\/jobs"/);
    }
    // Nor can a page of another site post the form.
    const r = await postForm(server.url, '/_rdmc/console/login', { token: TOKEN }, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('set-cookie'), null);
  });

  test(`a peer gets ${LOGIN_FAILURES} wrong tokens a quarter hour; then even the right one waits, other peers do not`, async () => {
    const peer = from('203.0.113.7');
    for (let i = 0; i < LOGIN_FAILURES; i++) assert.equal((await postForm(server.url, '/_rdmc/console/login', { token: `guess-${i}` }, peer)).status, 401);
    const blocked = await postForm(server.url, '/_rdmc/console/login', { token: TOKEN }, peer);
    assert.equal(blocked.status, 429);
    assert.equal(blocked.headers.get('set-cookie'), null);
    assert.equal(blocked.headers.get('retry-after'), String(LOGIN_WINDOW_MS / 1000));
    assert.match(await blocked.text(), /Too many failed logins from your address; try again in 15 minutes\./);
    // The same /64 of IPv6 is one peer; another address is not held back.
    await consoleLogin(server.url, TOKEN, from('203.0.113.8'));
    clock.advance(LOGIN_WINDOW_MS);
    await consoleLogin(server.url, TOKEN, peer);
  });

  test('IPv6 peers are counted by their /64', async () => {
    for (let i = 0; i < LOGIN_FAILURES; i++) {
      assert.equal((await postForm(server.url, '/_rdmc/console/login', { token: 'guess' }, from(`2001:db8:1:2::${i + 1}`))).status, 401);
    }
    assert.equal((await postForm(server.url, '/_rdmc/console/login', { token: TOKEN }, from('2001:db8:1:2:ffff::9'))).status, 429);
    await consoleLogin(server.url, TOKEN, from('2001:db8:1:3::1'));
    clock.advance(LOGIN_WINDOW_MS);
  });

  test('the login sends the browser to console pages only, never to another site', async () => {
    const cases: Array<[string, string]> = [
      ['/_rdmc/console/jobs', '/_rdmc/console/jobs'],
      ['/_rdmc/console/outbox?To=x', '/_rdmc/console/outbox?To=x'],
      ['https://evil.example/', '/_rdmc/console'],
      ['//evil.example/', '/_rdmc/console'],
      ['/\\evil.example', '/_rdmc/console'],
      ['/_rdmc/consolex', '/_rdmc/console'],
      ['/_rdmc/console\\..\\evil', '/_rdmc/console'],
      ['/_rdmc/console/\r\nSet-Cookie: x=1', '/_rdmc/console'],
      ['/_rdmc/outbox', '/_rdmc/console'],
      ['/_rdmc/console/logout', '/_rdmc/console'],
      ['javascript:alert(1)', '/_rdmc/console'],
    ];
    for (const [next, location] of cases) {
      const r = await postForm(server.url, '/_rdmc/console/login', { token: TOKEN, next }, from('198.51.100.5'));
      assert.equal(r.headers.get('location'), location, next);
    }
  });

  test('logout needs the session\'s CSRF field, then ends the session on the server', async () => {
    const cookie = await consoleLogin(server.url, TOKEN, from('198.51.100.6'));
    const other = await consoleLogin(server.url, TOKEN, from('198.51.100.6'));
    const csrf = csrfOf(await (await getPage(server.url, '/_rdmc/console', cookie)).text());
    const otherCsrf = csrfOf(await (await getPage(server.url, '/_rdmc/console', other)).text());
    assert.notEqual(csrf, otherCsrf, 'each session has a token of its own');
    for (const fields of [{} as Record<string, string>, { csrf: '' }, { csrf: 'x'.repeat(csrf.length) }, { csrf: otherCsrf }]) {
      const r = await postForm(server.url, '/_rdmc/console/logout', fields, { cookie });
      assert.equal(r.status, 403, JSON.stringify(fields));
      assert.match(await r.text(), /This form is not from your console session/);
    }
    // Not a form: refused before any field is read.
    const json = await fetch(`${server.url}/_rdmc/console/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ csrf }) });
    assert.equal(json.status, 415);
    assert.equal((await getPage(server.url, '/_rdmc/console', cookie)).status, 200, 'refused logouts left the session alone');

    const out = await postForm(server.url, '/_rdmc/console/logout', { csrf }, { cookie });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/_rdmc/console/login?out=1');
    assert.match(out.headers.get('set-cookie')!, /^rdmc_console_session=; Path=\/_rdmc\/console; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict$/);
    assert.match(await (await getPage(server.url, '/_rdmc/console/login?out=1')).text(), /You have logged out\./);
    // The old cookie, sent again (a copy kept elsewhere), opens nothing: the session is gone on the server.
    const again = await getPage(server.url, '/_rdmc/console/jobs', cookie);
    assert.equal(again.status, 303);
    assert.equal(again.headers.get('location'), '/_rdmc/console/login?next=%2F_rdmc%2Fconsole%2Fjobs&ended=1');
    assert.match(again.headers.get('set-cookie')!, /^rdmc_console_session=;/);
    assert.equal((await getPage(server.url, '/_rdmc/console', other)).status, 200, 'another session goes on');
  });

  test('a session ends when idle, and at the end of its lifetime however busy', async () => {
    const idle = await consoleLogin(server.url, TOKEN, from('198.51.100.7'));
    const busy = await consoleLogin(server.url, TOKEN, from('198.51.100.7'));
    clock.advance(IDLE_MS - 1_000);
    assert.equal((await getPage(server.url, '/_rdmc/console', idle)).status, 200);
    clock.advance(IDLE_MS);
    assert.equal((await getPage(server.url, '/_rdmc/console', idle)).status, 303, 'unused for the idle timeout');
    // `busy` was used by nobody yet either: log it in again and use it every half idle period.
    const steady = await consoleLogin(server.url, TOKEN, from('198.51.100.7'));
    assert.equal((await getPage(server.url, '/_rdmc/console', busy)).status, 303);
    for (let used = 0; used + IDLE_MS / 2 < LIFETIME_MS; used += IDLE_MS / 2) {
      assert.equal((await getPage(server.url, '/_rdmc/console', steady)).status, 200, `used ${used / 60_000} minutes in`);
      clock.advance(IDLE_MS / 2);
    }
    clock.advance(IDLE_MS / 2);
    const over = await getPage(server.url, '/_rdmc/console/jobs', steady);
    assert.equal(over.status, 303, 'past its lifetime');
    assert.match(await (await getPage(server.url, over.headers.get('location')!)).text(), /Your session has ended; log in again\./);
  });

  test('a session survives a restart of the server', async () => {
    const cookie = await consoleLogin(server.url, TOKEN, from('198.51.100.8'));
    server = await server.restart();
    assert.equal((await getPage(server.url, '/_rdmc/console', cookie)).status, 200);
  });

  test('scripts keep the bearer token for the console and the JSON API; its forms need no field', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await getPage(server.url, '/_rdmc/console', undefined, bearer)).status, 200);
    assert.equal((await getPage(server.url, '/_rdmc/outbox', undefined, bearer)).status, 200);
    assert.equal((await getPage(server.url, '/_rdmc/console', undefined, { authorization: 'Bearer wrong' })).status, 401);
    assert.equal((await postForm(server.url, '/_rdmc/console/logout', {}, bearer)).status, 303);
  });
});

describe('console on loopback without RDMC_ADMIN_TOKEN', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('works as before: no login, no logout button; the login form sends the browser on', async () => {
    const page = await getPage(server.url, '/_rdmc/console');
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(!html.includes('/_rdmc/console/logout') && !html.includes('name="csrf"'));
    const login = await getPage(server.url, '/_rdmc/console/login?next=%2F_rdmc%2Fconsole%2Fjobs');
    assert.deepEqual([login.status, login.headers.get('location')], [303, '/_rdmc/console/jobs']);
    const out = await postForm(server.url, '/_rdmc/console/logout', {});
    assert.deepEqual([out.status, out.headers.get('location'), out.headers.get('set-cookie')], [303, '/_rdmc/console', null]);
    // There the cross-site refusal guards the forms.
    const forged = await postForm(server.url, '/_rdmc/console/logout', {}, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(forged.status, 403);
  });
});
