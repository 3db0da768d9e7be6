import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApiCore, type Call } from '../helpers/clients.js';
import { TestClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Lists come in creation order even when every item was made in the same millisecond: the
 * clock stands still here, so only the tiebreak decides (random IDs once made it a lottery).
 */
let server: TestServer;
let call: Call;
before(async () => {
  server = await startTestServer({}, { clock: new TestClock() });
  call = openApiCore(server.url);
});
after(() => server.stop());

const names = (prefix: string) => Array.from({ length: 12 }, (_, i) => `${prefix}${String.fromCharCode(97 + ((i * 7) % 12))}`);

test('contacts made in one millisecond list in the order they were made', async () => {
  const made = names('order');
  for (const name of made) await call('AddMessageContact', { Name: name, EmailAddress: `${name}@example.com`, Title: 'CEO', MessageTypes: ['FaultMessage'] });
  const listed = await call('ListMessageContacts', { PageSize: 100 });
  assert.deepEqual(listed.Contacts.map((c: any) => c.Name), made);
});

test('folders made in one millisecond list in the order they were made', async () => {
  const folders = names('f');
  const parent = (await call('CreateFolder', { FolderName: 'orderparent' })).Folder.FolderId;
  for (const name of folders) await call('CreateFolder', { FolderName: name, ParentFolderId: parent });
  const listed = await call('ListFoldersForParent', { ParentFolderId: parent, PageSize: 100 });
  assert.deepEqual(listed.Folders.Folder.map((f: any) => f.FolderName), folders);
});

test('accounts that join in one millisecond list in the order they joined, on every page', async () => {
  // Account IDs are random: ordered by ID, these twelve would come back shuffled.
  const joined = names('joinorder ');
  const folder = (await call('CreateFolder', { FolderName: 'accountorder' })).Folder.FolderId;
  for (const name of joined) await call('CreateResourceAccount', { DisplayName: name, ParentFolderId: folder });
  const shown = (page: any) => page.Accounts.Account.map((a: any) => a.DisplayName);
  assert.deepEqual(shown(await call('ListAccountsForParent', { ParentFolderId: folder, PageSize: 100 })), joined);
  assert.deepEqual(shown(await call('ListAccounts', { QueryKeyword: 'joinorder', PageSize: 100 })), joined);
  assert.deepEqual(shown(await call('ListAccounts', { QueryKeyword: 'joinorder', PageSize: 5, PageNumber: 2 })), joined.slice(5, 10));
  // NextToken pages walk the same order: each starts right after the last account of the one before.
  const paged: string[] = [];
  let token: string | undefined;
  do {
    const page = await call('ListAccounts', { QueryKeyword: 'joinorder', MaxResults: 5, NextToken: token });
    paged.push(...shown(page));
    token = page.NextToken;
  } while (token);
  assert.deepEqual(paged, joined);
});
