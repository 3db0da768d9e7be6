import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The console on a directory of a few thousand accounts (seeded through the admin API in
 * batches): no page lists the whole directory. The directory page counts a folder's members
 * up to 1,000 and lists none, its folders come 50 a page; a folder's accounts and the
 * account search come in keyset pages of at most 100, which together hold every account
 * once. The same reads serve 100,000 accounts: each page is one bounded index range.
 */
const BIG = 3000;
const IN_ROOT = 300;
const TEAMS = 120;

let server: TestServer;
let directoryId = '';
let bigId = '';
let bigAccounts: string[] = [];
let rootAccounts: string[] = [];
before(async () => {
  server = await startTestServer();
  const admin = adminClient(server.url);
  const teams = Array.from({ length: TEAMS }, (_, i) => ({ FolderName: `team-${String(i).padStart(3, '0')}` }));
  await admin.post('/state', { Directories: [{ MasterAccountId: KEYS.main.accountId, Folders: [{ FolderName: 'Big' }, ...teams] }] });
  const call = openApiCore(server.url);
  directoryId = (await call('GetResourceDirectory', {})).ResourceDirectory.ResourceDirectoryId;
  bigId = (await call('ListFoldersForParent', { QueryKeyword: 'Big' })).Folders.Folder[0].FolderId;
  bigAccounts = (await admin.post('/seed', { Accounts: BIG, ParentFolderId: bigId, DisplayNamePrefix: 'big' })).AccountIds;
  rootAccounts = (await admin.post('/seed', { Accounts: IN_ROOT, DisplayNamePrefix: 'alpha' })).AccountIds;
});
after(() => server.stop());

async function html(path: string): Promise<string> {
  const r = await fetch(`${server.url}${path}`);
  assert.equal(r.status, 200, path);
  return r.text();
}

/** The address of a page's link named `text`, or null. */
function linkTo(page: string, text: string): string | null {
  const found = new RegExp(`<a href="([^"]+)">${text}</a>`).exec(page);
  return found ? found[1]!.replace(/&amp;/g, '&') : null;
}

/** The accounts a page lists in its table, in order. */
const listed = (page: string) => [...page.matchAll(/<tr><td><a href="\/_rdmc\/console\/accounts\/(\d{16})">/g)].map((m) => m[1]!);

/** Every page from `first` on by its "Next page" link: the accounts of each. */
async function walk(first: string): Promise<string[][]> {
  const pages: string[][] = [];
  for (let path: string | null = first; path; ) {
    const page = await html(path);
    pages.push(listed(page));
    path = linkTo(page, 'Next page');
  }
  return pages;
}

test('the directory page counts members up to 1,000, lists no account, and shows its folders 50 a page', async () => {
  const first = await html('/_rdmc/console');
  assert.deepEqual([...new Set(first.match(/\b\d{16}\b/g))], [KEYS.main.accountId], 'no member account is on the page');
  assert.match(first, /<a href="[^"]+">Big<\/a> <span class="muted">1,000\+ accounts<\/span>/);
  assert.match(first, new RegExp(`: ${(IN_ROOT + 1).toLocaleString('en')} accounts directly`));
  const names: string[] = [];
  for (let page: string | null = first; page; ) {
    const shown = [...page.matchAll(/<li><a href="\/_rdmc\/console\/folders\/fd-\w+\?Directory=rd-\w+">([\w-]+)<\/a> <span class="muted">/g)].map((m) => m[1]!);
    assert.ok(shown.length > 0 && shown.length <= 50, `${shown.length} folders on a page`);
    names.push(...shown);
    const next: string | undefined = /<a href="([^"]+)">Next folders \(\d+ more\)<\/a>/.exec(page)?.[1];
    page = next ? await html(next.replace(/&amp;/g, '&')) : null;
  }
  assert.deepEqual(names, ['Big', ...Array.from({ length: TEAMS }, (_, i) => `team-${String(i).padStart(3, '0')}`)]);
});

test("a folder's accounts come by ID in pages of at most 100, every account once", async () => {
  const folder = `/_rdmc/console/folders/${bigId}?Directory=${directoryId}`;
  const first = await html(folder);
  assert.equal(listed(first).length, 50, 'the default page');
  assert.match(first, /1,000\+ accounts directly in it/);
  const pages = await walk(`${folder}&PageSize=100`);
  assert.equal(pages.length, BIG / 100);
  assert.ok(pages.every((p) => p.length === 100));
  assert.deepEqual(pages.flat(), [...bigAccounts].sort());
  const tooLarge = await fetch(`${server.url}${folder}&PageSize=101`);
  assert.equal(tooLarge.status, 400);
  assert.match(await tooLarge.text(), /InvalidParameter\.PageSize: PageSize must be an integer from 1 to 100\./);
});

test('the account search pages by the start of a display name or of an account ID, at most 100 a page', async () => {
  const byName = await walk(`/_rdmc/console/accounts?Directory=${directoryId}&Search=big-&PageSize=100`);
  assert.equal(byName.length, BIG / 100);
  assert.ok(byName.every((p) => p.length <= 100));
  // Display names are `big-<ID>`: by name is by ID here.
  assert.deepEqual(byName.flat(), [...bigAccounts].sort());

  const someRoot = [...rootAccounts].sort()[0]!;
  const narrow = await walk(`/_rdmc/console/accounts?Directory=${directoryId}&Search=alpha-${someRoot.slice(0, 3)}`);
  assert.deepEqual(narrow.flat(), rootAccounts.filter((id) => id.startsWith(someRoot.slice(0, 3))).sort());

  const prefix = bigAccounts[0]!.slice(0, 2);
  const everyone = [KEYS.main.accountId, ...bigAccounts, ...rootAccounts];
  const byId = await walk(`/_rdmc/console/accounts?Directory=${directoryId}&Search=${prefix}&PageSize=37`);
  assert.ok(byId.every((p) => p.length <= 37));
  assert.deepEqual(byId.flat(), everyone.filter((id) => id.startsWith(prefix)).sort());
});
