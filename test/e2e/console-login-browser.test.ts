import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, externalRequests, launchChromium } from '../helpers/browser.js';
import { TestClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

/**
 * The console's login as an operator meets it in Debian's Chromium, with RDMC_ADMIN_TOKEN
 * set: the console sends the browser to the login form, a wrong token is refused on it, the
 * right one opens the page first asked for, with a cookie scripts cannot read; Log out ends
 * the session, and its cookie put back opens nothing; a session unused for the idle timeout
 * (the test moves the domain's clock) is sent back to the form, which returns to the page.
 * Screenshots go to test-artifacts/console/. Without Chromium the test is skipped, loudly.
 */
const available = chromiumAvailable('the browser test of the console login');
const SHOTS = join(PROJECT_ROOT, 'test-artifacts', 'console');
const TOKEN = 'browser-login-token-0123456789abcdef';
const IDLE_MS = 10 * 60_000;

const clock = new TestClock();
let server: TestServer;
let browser: Browser | undefined;
before(async () => {
  server = await startTestServer({ adminToken: TOKEN, consoleIdleTimeoutMs: IDLE_MS }, { clock });
  if (available) {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }
});
after(async () => {
  await browser?.close();
  await server.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name) });

async function logIn(page: Page, token: string) {
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const sessionCookies = async (context: BrowserContext) => (await context.cookies()).filter((c) => c.name === 'rdmc_console_session');

test('log in with the token, see the console, log out, and the old cookie opens nothing', { skip: !available && 'no Chromium' }, async () => {
  const context = await browser!.newContext();
  const page = await context.newPage();
  const external = externalRequests(page, server.url);

  await page.goto(`${server.url}/_rdmc/console/jobs`);
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console/login');
  assert.equal(await heading(page), 'Log in');

  await logIn(page, 'not-the-token');
  assert.equal(await page.getByRole('alert').textContent(), 'That is not the admin token.');
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console/login');
  assert.equal(await page.getByLabel('Admin token').inputValue(), '', 'the wrong token is not typed back');
  assert.deepEqual(await sessionCookies(context), []);
  await shot(page, 'login-refused.png');

  await logIn(page, TOKEN);
  await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console/jobs', 'back on the page first asked for');
  const [cookie, ...more] = await sessionCookies(context);
  assert.deepEqual(more, []);
  assert.deepEqual({ httpOnly: cookie!.httpOnly, sameSite: cookie!.sameSite, path: cookie!.path, secure: cookie!.secure, expires: cookie!.expires }, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/_rdmc/console',
    secure: false,
    expires: -1,
  });
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the session');
  await page.getByRole('link', { name: 'Directory' }).click();
  await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
  await shot(page, 'login-done.png');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('status').filter({ hasText: 'You have logged out.' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console/login');
  assert.deepEqual(await sessionCookies(context), [], 'the browser forgot the cookie');

  // A copy of the cookie kept from before the logout: the session is over on the server.
  await context.addCookies([cookie!]);
  await page.goto(`${server.url}/_rdmc/console/outbox`);
  assert.equal(await heading(page), 'Log in');
  assert.equal(await page.getByRole('status').textContent(), 'Your session has ended; log in again.');
  assert.deepEqual(external, [], 'the pages load nothing from elsewhere');
  await context.close();
});

test('a session unused for the idle timeout goes back to the login form, which returns to the page', { skip: !available && 'no Chromium' }, async () => {
  const context = await browser!.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/_rdmc/console`);
  await logIn(page, TOKEN);
  await page.getByRole('heading', { level: 1, name: 'Directory' }).waitFor();
  await page.goto(`${server.url}/_rdmc/console/outbox`);
  await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();

  clock.advance(IDLE_MS);
  await page.reload();
  assert.equal(await heading(page), 'Log in');
  assert.equal(await page.getByRole('status').textContent(), 'Your session has ended; log in again.');
  await shot(page, 'login-session-ended.png');
  await logIn(page, TOKEN);
  await page.getByRole('heading', { level: 1, name: 'Outbox' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console/outbox');
  await context.close();
});
