import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { adminClient } from '../helpers/admin.js';
import { chromiumAvailable, externalRequests, launchChromium } from '../helpers/browser.js';
import { openApiCore } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

/**
 * The web console as an operator meets it, in Debian's Chromium: `/` lands on the directory,
 * a contact leads to the message centers it is in, the outbox filters and opens a
 * verification link, the jobs page shows a failing delivery's last error. Screenshots go to
 * test-artifacts/console/ (git ignores it). Without Chromium the test is skipped, loudly.
 */
const available = chromiumAvailable('the browser test of the web console');
const SHOTS = join(PROJECT_ROOT, 'test-artifacts', 'console');

const STATE = {
  Directories: [
    {
      MasterAccountId: KEYS.main.accountId,
      Folders: [{ FolderName: 'Engineering', Folders: [{ FolderName: 'Platform', Accounts: [{ DisplayName: 'platform-prod' }] }] }],
      Accounts: [{ DisplayName: 'billing' }],
      Contacts: [
        { Name: 'tom', Title: 'TechnicalDirector', MessageTypes: ['SecurityMessage'], EmailAddress: 'tom@example.com', Members: ['/Engineering'] },
        { Name: 'ann', Title: 'FinanceDirector', MessageTypes: ['AccountExpenses'], PendingEmailAddress: 'ann@example.com', Members: ['billing'] },
      ],
    },
  ],
};

let server: TestServer;
let browser: Browser | undefined;
before(async () => {
  // E-mail goes to a port where nothing listens: the delivery job fails and keeps its last error.
  server = await startTestServer({ smtpUrl: 'smtp://127.0.0.1:1' });
  await adminClient(server.url).post('/state', STATE);
  if (available) {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  }
});
after(async () => {
  await browser?.close();
  await server.stop();
});

test('API callers keep their RPC answers at /; the console keeps the admin access rule', async () => {
  const rpc = await fetch(`${server.url}/`);
  assert.match(rpc.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(((await rpc.json()) as { Code: string }).Code, 'MissingAccessKeyId');
  const proxied = await fetch(`${server.url}/_rdmc/console`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(proxied.status, 403);
});

test('a browser lands on the console and clicks from a contact to a message center, the outbox and the jobs', { skip: !available && 'no Chromium' }, async () => {
  const call = openApiCore(server.url);
  const ann = (await call('ListMessageContacts', {})).Contacts.find((c: { Name: string }) => c.Name === 'ann').ContactId;
  await call('SendEmailVerificationForMessageContact', { ContactId: ann, EmailAddress: 'ann@example.com' });

  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  const external = externalRequests(page, server.url);

  await page.goto(`${server.url}/`);
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Directory');
  const tree = (await page.textContent('main')) ?? '';
  for (const text of ['Engineering', 'Platform', 'platform-prod', 'billing']) assert.ok(tree.includes(text), text);
  const annRow = page.getByRole('row', { name: /ann/ });
  assert.match((await annRow.textContent()) ?? '', /Verifying[\s\S]*ann@example\.com/);
  await page.screenshot({ path: join(SHOTS, 'directory.png'), fullPage: true });

  await page.getByRole('link', { name: 'tom', exact: true }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Contact tom');
  await page.screenshot({ path: join(SHOTS, 'contact.png'), fullPage: true });
  const platformProd = (await call('ListAccounts', {})).Accounts.Account.find((a: { DisplayName: string }) => a.DisplayName === 'platform-prod').AccountId;
  await page.getByRole('link', { name: platformProd }).first().click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Message center of ${platformProd}`);
  const engineering = (await call('ListFoldersForParent', {})).Folders.Folder[0].FolderId;
  const tomRow = page.getByRole('row', { name: /tom/ });
  assert.match((await tomRow.textContent()) ?? '', new RegExp(`tom@example\\.com[\\s\\S]*Inherited[\\s\\S]*${engineering}`));
  await page.screenshot({ path: join(SHOTS, 'message-center.png'), fullPage: true });

  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByLabel('To').fill('ann@example.com');
  await page.getByRole('button', { name: 'Filter' }).click();
  assert.equal(new URL(page.url()).searchParams.get('To'), 'ann@example.com');
  assert.equal(await page.getByRole('row').count(), 2, 'the header and the one message to ann');
  await page.screenshot({ path: join(SHOTS, 'outbox.png'), fullPage: true });
  await page.getByRole('link', { name: 'Open verification link' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Confirm your contact details');

  await page.goto(`${server.url}/_rdmc/console/jobs`);
  const job = page.getByRole('row', { name: /delivery\.send/ });
  assert.match((await job.textContent()) ?? '', /pending[\s\S]*ECONNREFUSED/);
  await page.screenshot({ path: join(SHOTS, 'jobs.png'), fullPage: true });
  assert.deepEqual(external, [], 'the console loads nothing from elsewhere');
});

test('a page of another origin in the same browser can neither write through the admin API nor read the console', { skip: !available && 'no Chromium' }, async () => {
  // Another local web server (a dev server, say): same site as rdmc on loopback, another origin.
  const site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  const admin = adminClient(server.url);
  const before = (await admin.get('/state')).State;
  const page = await browser!.newPage();
  try {
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`);
    const statuses = await page.evaluate(async (rdmc) => {
      // "Simple" requests: no preflight, the answers stay opaque to the page, the writes would happen.
      await fetch(`${rdmc}/_rdmc/seed`, { method: 'POST', mode: 'no-cors', body: JSON.stringify({ Accounts: 3 }) });
      await fetch(`${rdmc}/_rdmc/reset`, { method: 'POST', mode: 'no-cors' });
      // A frame of the console: the browser shows whatever status it gets.
      const frame = document.createElement('iframe');
      frame.src = `${rdmc}/_rdmc/console`;
      document.body.append(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve));
      return 'done';
    }, server.url);
    assert.equal(statuses, 'done');
    // The console may not be framed at all (frame-ancestors 'none'): the browser blocks the
    // answer, the refusal page included, and the frame shows nothing of rdmc.
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    assert.equal(frames.length, 1);
    assert.ok(!frames[0]!.url().startsWith(server.url), frames[0]!.url());
    const shown = (await frames[0]!.textContent('body')) ?? '';
    assert.match(shown, /ERR_BLOCKED_BY_RESPONSE/);
    assert.doesNotMatch(shown, /another site or origin|rdmc/);
  } finally {
    await page.close();
    site.close();
  }
  assert.deepEqual((await admin.get('/state')).State, before);
});
