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
import { eventually } from '../helpers/eventually.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

/**
 * The web console as an operator meets it: over plain HTTP, each page's HTML (one directory
 * at a time with a switcher, names beside IDs, breadcrumbs, labelled addresses, deletion
 * status with its reasons, folders that fold open, account search, a message's page); and in
 * Debian's Chromium, a walk from the directory to a folder, an account, a contact, the outbox,
 * a message and the jobs. Screenshots go to test-artifacts/console/ (git ignores it). Without
 * Chromium the browser tests are skipped, loudly. The console at 100,000 accounts: console-scale.test.ts.
 */
const available = chromiumAvailable('the browser test of the web console');
const SHOTS = join(PROJECT_ROOT, 'test-artifacts', 'console');

const STATE = {
  Directories: [
    {
      MasterAccountId: KEYS.main.accountId,
      Folders: [
        { FolderName: 'Engineering', Folders: [{ FolderName: 'Platform', Accounts: [{ DisplayName: 'platform-prod' }] }] },
        { FolderName: 'Finance', Folders: [{ FolderName: 'EU', Accounts: [{ DisplayName: 'ops-eu' }] }] },
      ],
      Accounts: [{ DisplayName: 'billing' }],
      Contacts: [
        { Name: 'tom', Title: 'TechnicalDirector', MessageTypes: ['SecurityMessage'], EmailAddress: 'tom@example.com', Members: ['/Engineering'] },
        { Name: 'ann', Title: 'FinanceDirector', MessageTypes: ['AccountExpenses'], PendingEmailAddress: 'ann@example.com', Members: ['billing'] },
        { Name: 'carl', Title: 'FinanceDirector', MessageTypes: ['AccountExpenses'], EmailAddress: 'carl@example.com', PhoneNumber: '86-13900001111', Members: ['/Finance/EU'] },
      ],
    },
    {
      MasterAccountId: KEYS.other.accountId,
      Accounts: [{ DisplayName: 'other-app' }],
      Contacts: [{ Name: 'olga', Title: 'CEO', MessageTypes: ['ServiceMessage'], EmailAddress: 'olga@example.com', Members: ['other-app'] }],
    },
  ],
};

/** A console page's status and HTML. */
async function page(path: string): Promise<{ status: number; html: string }> {
  const r = await fetch(`${server.url}/_rdmc/console${path}`);
  return { status: r.status, html: await r.text() };
}
/** The text of a page, tags dropped and spaces squeezed: what a reader sees. */
const visible = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
/** The breadcrumb trail of a page, as text. */
const crumbs = (html: string) => visible(/<nav aria-label="Breadcrumb">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').trim();

const ids = { main: '', other: '', engineering: '', finance: '', eu: '', platformProd: '', opsEu: '', billing: '', tom: '', ann: '', carl: '' };

let server: TestServer;
let browser: Browser | undefined;
before(async () => {
  // E-mail goes to a port where nothing listens: the delivery job fails and keeps its last error.
  server = await startTestServer({ smtpUrl: 'smtp://127.0.0.1:1' });
  await adminClient(server.url).post('/state', STATE);
  const call = openApiCore(server.url);
  ids.main = (await call('GetResourceDirectory', {})).ResourceDirectory.ResourceDirectoryId;
  ids.other = (await openApiCore(server.url, KEYS.other)('GetResourceDirectory', {})).ResourceDirectory.ResourceDirectoryId;
  const folders = (await call('ListFoldersForParent', {})).Folders.Folder as Array<{ FolderName: string; FolderId: string }>;
  ids.engineering = folders.find((f) => f.FolderName === 'Engineering')!.FolderId;
  ids.finance = folders.find((f) => f.FolderName === 'Finance')!.FolderId;
  ids.eu = (await call('ListFoldersForParent', { ParentFolderId: ids.finance })).Folders.Folder[0].FolderId;
  const accounts = (await call('ListAccounts', {})).Accounts.Account as Array<{ DisplayName: string; AccountId: string }>;
  ids.platformProd = accounts.find((a) => a.DisplayName === 'platform-prod')!.AccountId;
  ids.opsEu = accounts.find((a) => a.DisplayName === 'ops-eu')!.AccountId;
  ids.billing = accounts.find((a) => a.DisplayName === 'billing')!.AccountId;
  const contacts = (await call('ListMessageContacts', {})).Contacts as Array<{ Name: string; ContactId: string }>;
  for (const name of ['tom', 'ann', 'carl'] as const) ids[name] = contacts.find((c) => c.Name === name)!.ContactId;
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

/** The table row (or list item) of the page that holds a link named `name`. */
const rowOf = (html: string, name: string) => html.split(/<tr>/).find((r) => r.includes(`>${name}</a>`)) ?? '';

/** The verification e-mail to ann, sent once: its delivery fails (nothing listens at port 1) and keeps the error. */
let annMessage: Promise<{ MessageId: string; Subject: string; Body: string; Link: string }> | undefined;
const sendToAnn = () =>
  (annMessage ??= (async () => {
    await openApiCore(server.url)('SendEmailVerificationForMessageContact', { ContactId: ids.ann, EmailAddress: 'ann@example.com' });
    const admin = adminClient(server.url);
    return eventually('a failed delivery attempt to ann', async () => {
      const [message] = (await admin.get('/outbox?To=ann%40example.com')).Messages;
      return message?.LastError && message;
    });
  })());

test('one directory at a time: the first by default, another from the switcher; an unknown one is 404, a malformed one 400', async () => {
  const first = await page('');
  assert.equal(first.status, 200);
  assert.match(first.html, new RegExp(`<h1>Resource directory ${ids.main}</h1>`));
  assert.match(visible(first.html), /\btom\b/);
  assert.doesNotMatch(visible(first.html), /\bolga\b/);
  assert.match(first.html, new RegExp(`<select name="Directory"><option value="${ids.main}" selected>[^<]*</option><option value="${ids.other}">`));

  const other = await page(`?Directory=${ids.other}`);
  assert.match(other.html, new RegExp(`<h1>Resource directory ${ids.other}</h1>`));
  assert.match(visible(other.html), /\bolga\b/);
  assert.doesNotMatch(visible(other.html), /\btom\b/);
  assert.match(other.html, new RegExp(`<option value="${ids.other}" selected>`));
  // The other tenant's search reads its own accounts only.
  assert.doesNotMatch(visible((await page(`/accounts?Directory=${ids.other}&Search=ops`)).html), /ops-eu/);

  assert.equal((await page('?Directory=rd-zzzzzz')).status, 404);
  assert.equal((await page(`/folders/${ids.eu}?Directory=${ids.other}`)).status, 404, "a folder is looked for in the chosen directory only");
  const malformed = await page('?Directory=fd-1');
  assert.equal(malformed.status, 400);
  assert.match(malformed.html, /InvalidParameter\.Directory/);
});

test('the directory page: contacts before the folders, labelled addresses, bindings by path and name, folders that fold open', async () => {
  const { html } = await page('');
  assert.ok(html.indexOf('<h2 id="contacts">Contacts</h2>') < html.indexOf('<h2>Folders</h2>'), 'the contacts come first');
  assert.match(visible(rowOf(html, 'ann')), /Verifying Email ann@example\.com \(pending verification\)/);
  assert.match(visible(rowOf(html, 'carl')), /Email carl@example\.com \(verified\) Phone 86-13900001111 \(verified\)/);
  assert.match(visible(rowOf(html, 'tom')), new RegExp(`Root / Engineering ${ids.engineering}`));
  assert.match(visible(rowOf(html, 'ann')), new RegExp(`billing ${ids.billing}`));
  // Folders with subfolders open and close without a script; their members are counted, not listed.
  assert.match(html, /<details><summary>Engineering <span class="muted">0 accounts · 1 subfolder<\/span><\/summary>/);
  assert.match(html, new RegExp(`<details><summary>Engineering[\\s\\S]*?href="/_rdmc/console/folders/${ids.engineering}\\?Directory=${ids.main}">Engineering</a>[\\s\\S]*?">Platform</a>[\\s\\S]*?</details>`));
  assert.match(visible(html), /Root r-\w+ : 2 accounts directly/);
  assert.doesNotMatch(visible(html), /platform-prod/, 'accounts come from search and folder pages');
});

test('every page has a breadcrumb trail; folders and accounts show their path from the Root', async () => {
  const { MessageId } = await sendToAnn();
  const trails: Array<[string, string]> = [
    ['', `Console Resource directory ${ids.main}`],
    [`/folders/${ids.eu}?Directory=${ids.main}`, `Console Resource directory ${ids.main} Root Finance EU`],
    [`/accounts/${ids.opsEu}`, `Console Resource directory ${ids.main} Root Finance EU ops-eu`],
    [`/contacts/${ids.tom}`, `Console Resource directory ${ids.main} Contact tom`],
    [`/accounts?Directory=${ids.main}&Search=ops`, `Console Resource directory ${ids.main} Accounts`],
    ['/outbox', 'Console Outbox'],
    [`/messages/${MessageId}`, `Console Outbox ${MessageId}`],
    ['/jobs', 'Console Jobs'],
  ];
  for (const [path, trail] of trails) {
    const { status, html } = await page(path);
    assert.equal(status, 200, path);
    assert.equal(crumbs(html), trail, path);
    assert.match(html, /<li><span aria-current="page">[^<]+<\/span><\/li><\/ol>/, path);
  }
  const folder = visible((await page(`/folders/${ids.eu}?Directory=${ids.main}`)).html);
  assert.match(folder, /Folder Root \/ Finance \/ EU/);
  assert.match(folder, new RegExp(`Contacts bound here: carl .* ops-eu ${ids.opsEu}`));
});

test('message centers name their Via, and a contact names the message centers it is in', async () => {
  const center = await page(`/accounts/${ids.platformProd}`);
  assert.match(center.html, /<h1>Message center of platform-prod<\/h1>/);
  const text = visible(center.html);
  assert.match(text, new RegExp(`Folder Root / Engineering / Platform fd-\\w+`));
  assert.match(text, new RegExp(`tom tom@example\\.com none SecurityMessage Inherited Root / Engineering ${ids.engineering}`));
  const contact = visible((await page(`/contacts/${ids.tom}`)).html);
  assert.match(contact, new RegExp(`platform-prod ${ids.platformProd} Inherited Root / Engineering ${ids.engineering}`));
  assert.match(contact, new RegExp(`Bindings Root / Engineering ${ids.engineering}`));
});

test('a failed deletion shows its status and reasons (GetMessageContactDeletionStatus) with the accounts named', async () => {
  const call = openApiCore(server.url);
  // ops-eu's owner receives nothing: carl is its only recipient of AccountExpenses and cannot leave.
  await adminClient(server.url).put(`/accounts/${ids.opsEu}/message-center/owner`, { MessageTypes: [] });
  assert.equal((await call('DeleteMessageContact', { ContactId: ids.carl, RetainContactInMembers: false })).Status, 'Deleting');
  const status = await eventually('the deletion fails', async () => {
    const s = (await call('GetMessageContactDeletionStatus', { ContactId: ids.carl })).ContactDeletionStatus;
    return s.Status === 'Failed' && s;
  });
  assert.deepEqual(status.FailReasonList, [{ AccountId: ids.opsEu, MessageTypes: ['AccountExpenses'] }]);

  const row = visible(rowOf((await page('')).html, 'carl'));
  assert.match(row, new RegExp(`Active Deletion failed ops-eu ${ids.opsEu} : no recipient for AccountExpenses`));
  const contact = visible((await page(`/contacts/${ids.carl}`)).html);
  assert.match(contact, new RegExp(`Deletion Status Failed : .* Fail reasons Account Message types with no other recipient ops-eu ${ids.opsEu} AccountExpenses`));
  assert.match(visible((await page(`/contacts/${ids.tom}`)).html), /Deletion Never deleted/);
});

test("a message's page shows what was sent and each delivery's outcome and last error; the outbox links to it", async () => {
  const message = await sendToAnn();
  const outbox = await page('/outbox?To=ann%40example.com');
  assert.match(outbox.html, new RegExp(`href="/_rdmc/console/messages/${message.MessageId}">${message.MessageId}</a>`));
  const { status, html } = await page(`/messages/${message.MessageId}`);
  assert.equal(status, 200);
  const text = visible(html);
  assert.match(html, new RegExp(`<h1>Message ${message.Subject}</h1>`));
  assert.match(text, new RegExp(`MessageId ${message.MessageId} Channel email Created \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z Subject ${message.Subject}`));
  assert.ok(html.includes(`<a href="${message.Link.replace(/&/g, '&amp;')}">Open verification link</a>`));
  assert.ok(text.includes(message.Body.split('\n')[0]!.replace(/\s+/g, ' ').trim()), 'the body is shown');
  assert.match(text, new RegExp(`ann@example\\.com pending [1-9]\\d* not yet .*ECONNREFUSED.* ${ids.ann}`));
  assert.equal((await page('/messages/NO-SUCH-MESSAGE')).status, 404);
});

test('account search: by the start of a display name or of an account ID, in bounded pages; bad parameters are 400', async () => {
  const byName = visible((await page(`/accounts?Directory=${ids.main}&Search=ops`)).html);
  assert.match(byName, new RegExp(`ops-eu ${ids.opsEu} Root / Finance / EU`));
  assert.doesNotMatch(byName, /billing/);
  assert.match(visible((await page(`/accounts?Directory=${ids.main}&Search=Ops`)).html), /No accounts\./, 'letter case counts');
  const byId = visible((await page(`/accounts?Directory=${ids.main}&Search=${ids.billing.slice(0, 15)}`)).html);
  assert.match(byId, new RegExp(`account ID starts with “${ids.billing.slice(0, 15)}” .*billing ${ids.billing} Root`));
  for (const [query, code] of [
    ['Search=ops&PageSize=0', 'PageSize'],
    ['Search=ops&PageSize=101', 'PageSize'],
    ['Search=ops&By=tag', 'By'],
    ['Search=o%01ps', 'Search'],
    ['Search=12x&By=id', 'Search'],
    ['Search=1&After=abc', 'After'],
    ['Search=ops&After=billing', 'After'],
    [`Search=${'a'.repeat(129)}`, 'Search'],
  ]) {
    const { status, html } = await page(`/accounts?Directory=${ids.main}&${query}`);
    assert.deepEqual([status, html.includes(`InvalidParameter.${code}`)], [400, true], query);
  }
});

test('a browser walks the console: switcher, a folder opened in the tree, an account, a contact, the outbox, a message and the jobs', { skip: !available && 'no Chromium' }, async () => {
  const message = await sendToAnn();
  const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
  const external = externalRequests(page, server.url);

  await page.goto(`${server.url}/`);
  assert.equal(new URL(page.url()).pathname, '/_rdmc/console');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Resource directory ${ids.main}`);
  const annRow = page.getByRole('row', { name: /^ann/ });
  assert.match((await annRow.textContent()) ?? '', /Verifying[\s\S]*ann@example\.com \(pending verification\)/);
  await page.screenshot({ path: join(SHOTS, 'directory.png'), fullPage: true });

  // The switcher: a plain form; the choice lands in the address.
  await page.getByLabel('Resource directory').selectOption(ids.other);
  await page.getByRole('button', { name: 'Show' }).click();
  assert.equal(new URL(page.url()).searchParams.get('Directory'), ids.other);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Resource directory ${ids.other}`);
  await page.screenshot({ path: join(SHOTS, 'directory-other.png'), fullPage: true });
  await page.goBack();

  // A folder opens in place (no script), then its subfolder's page.
  const platform = page.getByRole('link', { name: 'Platform', exact: true });
  assert.equal(await platform.isVisible(), false, 'closed at first');
  await page.getByText('Engineering 0 accounts · 1 subfolder').click();
  assert.equal(await platform.isVisible(), true);
  await page.screenshot({ path: join(SHOTS, 'directory-folder-open.png'), fullPage: true });
  await platform.click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Folder Root / Engineering / Platform');
  assert.equal(await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Engineering' }).count(), 1);
  await page.screenshot({ path: join(SHOTS, 'folder.png'), fullPage: true });

  await page.getByRole('link', { name: 'platform-prod' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Message center of platform-prod');
  const tomRow = page.getByRole('row', { name: /^tom/ });
  assert.match((await tomRow.textContent()) ?? '', new RegExp(`tom@example\\.com[\\s\\S]*Inherited[\\s\\S]*Root / Engineering[\\s\\S]*${ids.engineering}`));
  await page.screenshot({ path: join(SHOTS, 'message-center.png'), fullPage: true });

  await page.getByRole('link', { name: 'tom', exact: true }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Contact tom');
  await page.screenshot({ path: join(SHOTS, 'contact.png'), fullPage: true });

  // The account search from the directory page, then the outbox.
  await page.getByRole('link', { name: 'Accounts', exact: true }).first().click();
  await page.getByLabel('Display name or account ID starts with').fill('bil');
  await page.getByRole('button', { name: 'Search accounts' }).click();
  assert.equal(new URL(page.url()).searchParams.get('Search'), 'bil');
  assert.equal(await page.getByRole('link', { name: 'billing' }).count(), 1);
  await page.screenshot({ path: join(SHOTS, 'accounts.png'), fullPage: true });

  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.getByLabel('To').fill('ann@example.com');
  await page.getByRole('button', { name: 'Filter' }).click();
  assert.equal(new URL(page.url()).searchParams.get('To'), 'ann@example.com');
  assert.equal(await page.getByRole('row').count(), 2, 'the header and the one message to ann');
  await page.screenshot({ path: join(SHOTS, 'outbox.png'), fullPage: true });
  await page.getByRole('link', { name: message.MessageId }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Message ${message.Subject}`);
  assert.match((await page.getByRole('row', { name: /ann@example\.com/ }).textContent()) ?? '', /pending[\s\S]*ECONNREFUSED/);
  await page.screenshot({ path: join(SHOTS, 'message.png'), fullPage: true });
  await page.getByRole('link', { name: 'Open verification link' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Confirm your contact details');

  await page.goto(`${server.url}/_rdmc/console/jobs`);
  const job = page.getByRole('row', { name: /delivery\.send/ });
  assert.match((await job.textContent()) ?? '', /pending[\s\S]*ECONNREFUSED/);
  await page.screenshot({ path: join(SHOTS, 'jobs.png'), fullPage: true });
  assert.deepEqual(external, [], 'the console loads nothing from elsewhere');
  await page.close();
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
