import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allClients, assertFailure, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Issue 2's end-to-end path: every real client flavour (pop-core GET and POST,
 * openapi-client v3 and v1, openapi-core v3) creates, reads, lists, moves and deletes
 * folders and accounts against a real server on port 0.
 */

let server: TestServer;
let rootFolderId: string;
let directoryId: string;
before(async () => {
  server = await startTestServer();
  const rd = (await allClients(server.url)['pop-core GET']!('GetResourceDirectory')).ResourceDirectory;
  rootFolderId = rd.RootFolderId;
  directoryId = rd.ResourceDirectoryId;
});
after(() => server.stop());

async function lifecycle(call: Call, slug: string) {
  // Folders: a parent under the Root and a child under it.
  const parent = (await call('CreateFolder', { FolderName: `${slug}-parent` })).Folder;
  assert.match(parent.FolderId, /^fd-[A-Za-z0-9]{10}$/);
  assert.equal(parent.ParentFolderId, rootFolderId);
  assert.equal(parent.FolderName, `${slug}-parent`);
  assert.match(parent.CreateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  const child = (await call('CreateFolder', { FolderName: `${slug}-child`, ParentFolderId: parent.FolderId })).Folder;
  assert.equal(child.ParentFolderId, parent.FolderId);

  // pop-core parses with json-bigint into null-prototype objects: compare plain copies.
  const got = { ...(await call('GetFolder', { FolderId: child.FolderId })).Folder };
  assert.deepEqual(got, {
    ...child,
    ResourceDirectoryPath: `${directoryId}/${rootFolderId}/${parent.FolderId}/${child.FolderId}`,
  });

  const listed = await call('ListFoldersForParent', { ParentFolderId: parent.FolderId });
  assert.equal(listed.TotalCount, 1);
  assert.deepEqual(listed.Folders.Folder.map((f: object) => ({ ...f })), [
    { CreateTime: child.CreateTime, FolderId: child.FolderId, FolderName: child.FolderName, Tags: { Tag: [] } },
  ]);

  // An account created in the parent folder, read, listed, moved to the child.
  const account = (
    await call('CreateResourceAccount', { DisplayName: `${slug} member`, AccountNamePrefix: `${slug}-m`, ParentFolderId: parent.FolderId })
  ).Account;
  assert.match(account.AccountId, /^\d{16}$/);
  assert.equal(account.AccountName, `${slug}-m@${directoryId.toLowerCase()}.aliyunid.com`);
  assert.equal(account.FolderId, parent.FolderId);
  assert.equal(account.ResourceDirectoryId, directoryId);
  assert.equal(account.Type, 'ResourceAccount');
  assert.equal(account.JoinMethod, 'created');
  assert.equal(account.Status, 'CreateSuccess');

  const read = (await call('GetAccount', { AccountId: account.AccountId })).Account;
  assert.equal(read.DisplayName, `${slug} member`);
  assert.equal(read.ResourceDirectoryPath, `${directoryId}/${rootFolderId}/${parent.FolderId}/${account.AccountId}`);

  const inParent = await call('ListAccountsForParent', { ParentFolderId: parent.FolderId });
  assert.equal(inParent.TotalCount, 1);
  assert.equal(inParent.Accounts.Account[0].AccountId, account.AccountId);

  assert.deepEqual(Object.keys(await call('MoveAccount', { AccountId: account.AccountId, DestinationFolderId: child.FolderId })), ['RequestId']);
  assert.equal((await call('GetAccount', { AccountId: account.AccountId })).Account.FolderId, child.FolderId);
  const everywhere = await call('ListAccounts', { QueryKeyword: `${slug} member` });
  assert.equal(everywhere.TotalCount, 1);
  assert.equal(everywhere.Accounts.Account[0].FolderId, child.FolderId);
  assert.equal(
    everywhere.Accounts.Account[0].ResourceDirectoryPath,
    `${directoryId}/${rootFolderId}/${parent.FolderId}/${child.FolderId}/${account.AccountId}`,
  );

  const ancestors = (await call('ListAncestors', { ChildId: child.FolderId })).Folders.Folder;
  assert.deepEqual(
    ancestors.map((f: { FolderId: string }) => f.FolderId),
    [rootFolderId, parent.FolderId],
  );

  // Deleting: refused while the child holds the account, then allowed bottom-up.
  await assertFailure(call('DeleteFolder', { FolderId: child.FolderId }), 409, 'DeleteConflict.Folder.Account', 'This folder has accounts.');
  await assertFailure(call('DeleteFolder', { FolderId: parent.FolderId }), 409, 'DeleteConflict.Folder.SubFolder', 'This folder has sub folders.');
  await call('MoveAccount', { AccountId: account.AccountId, DestinationFolderId: rootFolderId });
  assert.deepEqual(Object.keys(await call('DeleteFolder', { FolderId: child.FolderId })), ['RequestId']);
  await call('DeleteFolder', { FolderId: parent.FolderId });
  await assertFailure(call('GetFolder', { FolderId: parent.FolderId }), 404, 'EntityNotExists.Folder', 'The resource directory folder does not exist.');
  assert.equal((await call('GetAccount', { AccountId: account.AccountId })).Account.FolderId, rootFolderId);
}

test('every client creates, reads, lists, moves and deletes folders and accounts', async (t) => {
  for (const [name, call] of Object.entries(allClients(server.url))) {
    await t.test(name, () => lifecycle(call, name.replace(/[^A-Za-z0-9]+/g, '')));
  }
});

test('every client sees the same error with status, code and message', async () => {
  for (const [name, call] of Object.entries(allClients(server.url, KEYS.bare))) {
    await assertFailure(
      call('ListFoldersForParent'),
      404,
      'EntityNotExists.ResourceDirectory',
      'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.',
    ).catch((err) => assert.fail(`${name}: ${err.message}`));
  }
});

test("special characters in a value are signed and read back alike by every client (docs/reference/protocol.md 3.3, 3.10)", async () => {
  const keyword = "a b*c~d!e'f(g)h+i/j:k&l=m中";
  for (const [name, call] of Object.entries(allClients(server.url))) {
    const listed = await call('ListAccounts', { QueryKeyword: keyword });
    assert.equal(listed.TotalCount, 0, name);
    const folders = await call('ListFoldersForParent', { QueryKeyword: '财' });
    assert.equal(folders.TotalCount, 0, name);
  }
});
