import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertFailure, openApiCore, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { RM20, teaRpc, type RpcBody } from '../helpers/terraform/tea-rpc.js';

/**
 * The 2022-04-19 additions through the official client (tags, token paging, DryRun,
 * IncludeTags) and the 2020-03-31 shapes of the same actions (docs/compatibility.md).
 */
let server: TestServer;
let main: Call;
let rm20: (action: string, body?: RpcBody) => Promise<Record<string, any>>;
before(async () => {
  server = await startTestServer();
  main = openApiCore(server.url);
  rm20 = (action, body) => teaRpc(server.url)(RM20, action, body);
});
after(() => server.stop());

const account = async (name: string, extra: Record<string, string> = {}) =>
  (await main('CreateResourceAccount', { DisplayName: name, ...extra })).Account as Record<string, string>;

describe('tags', () => {
  test('TagResources, ListTagResources with filters and token pages, UntagResources by key and All', async () => {
    const a = await account('tag one');
    const b = await account('tag two');
    await main('TagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'ResourceId.2': b.AccountId, 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });
    await main('TagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'Tag.1.Key': 'team', 'Tag.1.Value': 'core', 'Tag.2.Key': 'env', 'Tag.2.Value': 'dev' });
    const listed = await main('ListTagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'ResourceId.2': b.AccountId, MaxResults: 2 });
    const everything = [
      { ResourceId: a.AccountId, ResourceType: 'Account', TagKey: 'env', TagValue: 'dev' },
      { ResourceId: a.AccountId, ResourceType: 'Account', TagKey: 'team', TagValue: 'core' },
      { ResourceId: b.AccountId, ResourceType: 'Account', TagKey: 'env', TagValue: 'prod' },
    ].sort((x, y) => (`${x.ResourceId} ${x.TagKey}` < `${y.ResourceId} ${y.TagKey}` ? -1 : 1));
    assert.deepEqual(listed.TagResources, everything.slice(0, 2));
    assert.equal(typeof listed.NextToken, 'string');
    const rest = await main('ListTagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'ResourceId.2': b.AccountId, MaxResults: 2, NextToken: listed.NextToken });
    assert.deepEqual(rest.TagResources, everything.slice(2));
    assert.equal('NextToken' in rest, false);
    // A filter keeps the matching tags only.
    const prod = await main('ListTagResources', { ResourceType: 'Account', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });
    assert.deepEqual(prod.TagResources.map((t: any) => t.ResourceId), [b.AccountId]);
    // ListAccounts: AND of every pair; IncludeTags shows them.
    const both = await main('ListAccounts', { 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev', 'Tag.2.Key': 'team', IncludeTags: true });
    assert.deepEqual(both.Accounts.Account.map((x: any) => [x.AccountId, x.Tags.Tag]), [
      [a.AccountId, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'core' }]],
    ]);
    assert.deepEqual((await main('ListAccounts', { 'Tag.1.Key': 'env', 'Tag.1.Value': 'dev', 'Tag.2.Key': 'env', 'Tag.2.Value': 'prod' })).Accounts.Account, []);
    assert.deepEqual((await main('GetAccount', { AccountId: a.AccountId, IncludeTags: true })).Account.Tags, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'core' }]);
    await main('UntagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'TagKey.1': 'team', 'TagKey.2': 'absent' });
    assert.deepEqual((await main('GetAccount', { AccountId: a.AccountId, IncludeTags: true })).Account.Tags, [{ Key: 'env', Value: 'dev' }]);
    await main('UntagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'ResourceId.2': b.AccountId, All: true });
    assert.deepEqual((await main('ListTagResources', { ResourceType: 'Account' })).TagResources, []);
  });

  test('folders: Tag.N on CreateFolder, ListFoldersForParent filter and Tags; the tags go with the folder', async () => {
    const f = (await main('CreateFolder', { FolderName: 'tagged', 'Tag.1.Key': 'cost', 'Tag.1.Value': 'cc1' })).Folder;
    await main('CreateFolder', { FolderName: 'untagged' });
    const listed = await main('ListFoldersForParent', { 'Tag.1.Key': 'cost' });
    assert.deepEqual(listed.Folders.Folder.map((x: any) => [x.FolderId, x.Tags.Tag]), [[f.FolderId, [{ Key: 'cost', Value: 'cc1' }]]]);
    assert.equal(listed.TotalCount, 1);
    await main('DeleteFolder', { FolderId: f.FolderId });
    assert.deepEqual((await main('ListTagResources', { ResourceType: 'Folder', 'ResourceId.1': f.FolderId })).TagResources, []);
  });

  test('errors: ResourceType, unknown resources, reserved keys, more than 20 tags, bad tokens', async () => {
    const a = await account('tag errors');
    await assertFailure(main('TagResources', { ResourceType: 'Instance', 'ResourceId.1': a.AccountId, 'Tag.1.Key': 'k' }), 400, 'InvalidParameter.ResourceType', 'The ResourceType is invalid.');
    await assertFailure(main('TagResources', { ResourceType: 'Folder', 'ResourceId.1': 'fd-0000000000', 'Tag.1.Key': 'k' }), 404, 'EntityNotExists.Folder', 'The resource directory folder does not exist.');
    await assertFailure(main('TagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'Tag.1.Key': 'aliyun:x' }), 400, 'InvalidParameter.Tag.1.Key', 'The Tag.1.Key is invalid.');
    await assertFailure(main('TagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId }), 400, 'MissingParameter.Tag', 'You must specify Tag.');
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [[`Tag.${i + 1}.Key`, `k${i}`], [`Tag.${i + 1}.Value`, 'v']]).flat());
    await main('TagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, ...twenty });
    await assertFailure(main('TagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, 'Tag.1.Key': 'one-more' }), 400, 'LimitExceeded.Tag', 'A resource can have at most 20 tags.');
    assert.equal((await main('ListTagResources', { ResourceType: 'Account', 'ResourceId.1': a.AccountId, MaxResults: 100 })).TagResources.length, 20);
    // Tokens are opaque: anything rdmc did not hand out is the same 400, never a database error.
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const token of ['garbage', forged(['a\u0000', 'k']), forged({})]) {
      await assertFailure(main('ListTagResources', { ResourceType: 'Account', NextToken: token }), 400, 'InvalidParameter.NextToken', 'The NextToken is invalid.');
    }
    // [join time, ID] was the token before accounts listed by their join sequence: refused, not misread.
    for (const token of ['garbage', forged([1e30, 1]), forged([1, 1.5]), forged([1, 'x\u0000']), forged([1, '1000000000000001'])]) {
      await assertFailure(main('ListAccounts', { MaxResults: 5, NextToken: token }), 400, 'InvalidParameter.NextToken', 'The NextToken is invalid.');
    }
  });
});

describe('2022-04-19 additions on existing actions', () => {
  test('ListAccounts with MaxResults pages by NextToken, with none on the last page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await main('ListAccounts', { MaxResults: 3, NextToken: token });
      seen.push(...page.Accounts.Account.map((x: any) => x.AccountId));
      assert.equal(page.TotalCount, (await main('ListAccounts', {})).TotalCount);
      if (!('NextToken' in page)) break;
      token = page.NextToken;
    }
    const all = (await main('ListAccounts', { PageSize: 100 })).Accounts.Account.map((x: any) => x.AccountId);
    assert.deepEqual(seen, all);
  });

  test('DryRun checks everything and changes nothing: 400 DryRunOperation', async () => {
    const before = (await main('ListAccounts', {})).TotalCount;
    await assertFailure(main('CreateResourceAccount', { DisplayName: 'dry one', DryRun: true }), 400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    assert.equal((await main('ListAccounts', {})).TotalCount, before);
    await assertFailure(main('CreateResourceAccount', { DisplayName: '!', DryRun: true }), 400, 'InvalidParameter.DisplayName', 'The DisplayName is invalid.');
    const a = await account('dry two');
    await assertFailure(main('UpdateAccount', { AccountId: a.AccountId, NewDisplayName: 'dry three', DryRun: true }), 400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    assert.equal((await main('GetAccount', { AccountId: a.AccountId })).Account.DisplayName, 'dry two');
    // Without DryRun the same call renames it, at this API version too.
    assert.equal((await main('UpdateAccount', { AccountId: a.AccountId, NewDisplayName: 'dry three' })).Account.DisplayName, 'dry three');
    assert.equal((await main('GetAccount', { AccountId: a.AccountId })).Account.DisplayName, 'dry three');
    const bare = openApiCore(server.url, KEYS.bare);
    await assertFailure(bare('EnableResourceDirectory', { EnableMode: 'CurrentAccount', DryRun: true }), 400, 'DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    await assertFailure(bare('GetResourceDirectory'), 404, 'ResourceDirectoryNotInUse', 'The specified account is not an Alibaba Cloud account or a member account of the resource directory.');
  });

  test('the switches are stored: Enable/DisableControlPolicy, SetMemberDeletionPermission, SetMemberDisplayNameSyncStatus', async () => {
    assert.equal((await main('EnableControlPolicy')).EnablementStatus, 'Enabled');
    assert.deepEqual(Object.keys(await main('SetMemberDeletionPermission', { Status: 'Enabled' })).sort(), ['ManagementAccountId', 'MemberDeletionStatus', 'RequestId', 'ResourceDirectoryId']);
    assert.equal((await main('SetMemberDisplayNameSyncStatus', { Status: 'Enabled' })).MemberAccountDisplayNameSyncStatus, 'Enabled');
    const rd = (await main('GetResourceDirectory')).ResourceDirectory;
    assert.deepEqual([rd.ControlPolicyStatus, rd.MemberDeletionStatus, rd.MemberAccountDisplayNameSyncStatus], ['Enabled', 'Enabled', 'Enabled']);
    await assertFailure(main('SetMemberDeletionPermission', { Status: 'enabled' }), 400, 'InvalidParameter.Status', 'The specified Status is invalid.');
    await main('DisableControlPolicy');
    await main('SetMemberDeletionPermission', { Status: 'Disabled' });
    await main('SetMemberDisplayNameSyncStatus', { Status: 'Disabled' });
    const off = (await main('GetResourceDirectory')).ResourceDirectory;
    assert.deepEqual([off.ControlPolicyStatus, off.MemberDeletionStatus, off.MemberAccountDisplayNameSyncStatus], ['Disabled', 'Disabled', 'Disabled']);
  });
});

describe('2020-03-31 shapes', () => {
  test('GetResourceDirectory has ScpStatus and no sync status; GetAccount no secure phone; ListAccounts no AccountName', async () => {
    const rd = (await rm20('GetResourceDirectory')).ResourceDirectory;
    assert.equal(rd.ScpStatus, rd.ControlPolicyStatus);
    assert.equal('MemberAccountDisplayNameSyncStatus' in rd, false);
    const a = await account('old shape');
    const got = (await rm20('GetAccount', { AccountId: a.AccountId })).Account;
    assert.equal('HasSecureMobilePhone' in got, false);
    assert.equal('SecureMobilePhone' in got, false);
    const item = (await rm20('ListAccounts', { PageSize: 100 })).Accounts.Account.find((x: any) => x.AccountId === a.AccountId);
    assert.equal('AccountName' in item, false);
    assert.equal('DeletionStatus' in item, false);
    await assert.rejects(rm20('ListAccounts', { MaxResults: 5 }), (err: any) => err.statusCode === 400 && err.code === 'InvalidParameter');
    await assert.rejects(rm20('AddMessageContact', { Name: 'x' }), (err: any) => err.statusCode === 404 && err.code === 'InvalidAction.NotFound');
    await assert.rejects(rm20('SetMemberDisplayNameSyncStatus', { Status: 'Enabled' }), (err: any) => err.code === 'InvalidAction.NotFound');
    await assert.rejects(rm20('GetFolder', { FolderId: 'fd-0000000000' }), (err: any) => err.data.Recommend.includes('product=ResourceManager'));
  });
});
