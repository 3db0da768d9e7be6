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
