import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { RDM22, RM20, teaRpc, type RpcPost } from '../helpers/terraform/tea-rpc.js';

/**
 * The actions both API versions serve (docs/compatibility.md, "Two versions, one directory"),
 * called at the version the other tests leave out: one handler answers at either.
 */
let server: TestServer;
let call: RpcPost;
before(async () => {
  server = await startTestServer();
  call = teaRpc(server.url);
});
after(() => server.stop());

test('ResourceDirectoryMaster 2022-04-19: UpdateFolder, GetPayerForAccount, the deletion checks and DestroyResourceDirectory', async () => {
  const folder = (await call(RDM22, 'CreateFolder', { FolderName: 'v22-before' })).Folder.FolderId;
  await call(RDM22, 'UpdateFolder', { FolderId: folder, NewFolderName: 'v22-after' });
  assert.equal((await call(RDM22, 'GetFolder', { FolderId: folder })).Folder.FolderName, 'v22-after');

  const account = (await call(RDM22, 'CreateResourceAccount', { DisplayName: 'v22 member', ParentFolderId: folder })).Account.AccountId;
  assert.deepEqual(await call(RDM22, 'GetPayerForAccount', { AccountId: account }).then((b) => [b.PayerAccountId, b.PayerAccountName]), ['', '']);

  await call(RDM22, 'SetMemberDeletionPermission', { Status: 'Enabled' });
  await assert.rejects(call(RDM22, 'GetAccountDeletionStatus', { AccountId: account }), (err: any) => err.statusCode === 409 && err.code === 'EntityNotExists.CheckAccount');
  await call(RDM22, 'CheckAccountDelete', { AccountId: account });
  assert.equal((await call(RDM22, 'GetAccountDeletionCheckResult', { AccountId: account })).AccountDeletionCheckResultInfo.Status, 'PreCheckComplete');

  const other = teaRpc(server.url, KEYS.other);
  await other(RDM22, 'EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  await other(RDM22, 'DestroyResourceDirectory');
  await assert.rejects(other(RDM22, 'GetResourceDirectory'), (err: any) => err.statusCode === 404 && err.code === 'ResourceDirectoryNotInUse');
});

test('ResourceManager 2020-03-31: ListAccounts, ListAccountsForParent, ListAncestors and the tag actions', async () => {
  const root = (await call(RM20, 'GetResourceDirectory')).ResourceDirectory.RootFolderId;
  const folder = (await call(RM20, 'CreateFolder', { FolderName: 'v20-folder' })).Folder.FolderId;
  const account = (await call(RM20, 'CreateResourceAccount', { DisplayName: 'v20 member', ParentFolderId: folder })).Account.AccountId;

  const listed = (await call(RM20, 'ListAccounts', { PageSize: 100 })).Accounts.Account.map((a: { AccountId: string }) => a.AccountId);
  assert.ok(listed.includes(account) && listed.includes(KEYS.main.accountId), 'the whole directory');
  const inFolder = (await call(RM20, 'ListAccountsForParent', { ParentFolderId: folder })).Accounts.Account;
  assert.deepEqual(inFolder.map((a: { AccountId: string }) => a.AccountId), [account]);
  const ancestors = (await call(RM20, 'ListAncestors', { ChildId: folder })).Folders.Folder;
  assert.deepEqual(ancestors.map((f: { FolderId: string }) => f.FolderId), [root]);

  const tags = async () => (await call(RM20, 'ListTagResources', { ResourceType: 'Account', 'ResourceId.1': account })).TagResources;
  await call(RM20, 'TagResources', { ResourceType: 'Account', 'ResourceId.1': account, 'Tag.1.Key': 'team', 'Tag.1.Value': 'ops' });
  assert.deepEqual((await tags()).map((t: { TagKey: string; TagValue: string }) => [t.TagKey, t.TagValue]), [['team', 'ops']]);
  await call(RM20, 'UntagResources', { ResourceType: 'Account', 'ResourceId.1': account, 'TagKey.1': 'team' });
  assert.deepEqual(await tags(), []);
});
