import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION } from '../../src/domain/api-versions.js';
import { assertFailure, openApiClient, popCore, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * ListTagKeys and ListTagValues at both versions (distinct names in byte order, token pages,
 * prefix filters, tenancy); ListTagResources at 2020-03-31 without ResourceType (resource
 * groups: none); EnableResourceDirectory at 2020-03-31 (docs/compatibility.md, "Tags").
 */
let server: TestServer;
let main22: Call;
let main20: Call;
let other22: Call;
const accounts: string[] = [];
let folder = '';
before(async () => {
  server = await startTestServer();
  main22 = openApiClient(server.url, KEYS.main, 'v3', undefined, RESOURCE_DIRECTORY_MASTER_VERSION);
  main20 = popCore(server.url, KEYS.main, 'POST', RESOURCE_MANAGER_VERSION);
  other22 = openApiClient(server.url, KEYS.other, 'v3', undefined, RESOURCE_DIRECTORY_MASTER_VERSION);
  for (const name of ['tagged one', 'tagged two', 'tagged three']) accounts.push((await main22('CreateResourceAccount', { DisplayName: name })).Account.AccountId);
  const tag = (ids: string[], pairs: Record<string, string>, type = 'Account') => {
    const body: Record<string, string> = { ResourceType: type };
    ids.forEach((id, i) => (body[`ResourceId.${i + 1}`] = id));
    Object.entries(pairs).forEach(([k, v], i) => Object.assign(body, { [`Tag.${i + 1}.Key`]: k, [`Tag.${i + 1}.Value`]: v }));
    return main22('TagResources', body);
  };
  // Many rows share a few names: each name comes back once.
  await tag(accounts, { env: 'prod', team: 'core' });
  await tag([accounts[0]!], { env: 'dev', 'env-old': '', cost: 'a1' });
  await tag([accounts[1]!], { environment: 'x' });
  folder = (await main22('CreateFolder', { FolderName: 'tagged' })).Folder.FolderId;
  await tag([folder], { owner: 'ops' }, 'Folder');
});
after(() => server.stop());

const keysOf = (body: Record<string, any>) => (body.Tags as Array<{ Key: string }>).map((t) => t.Key);
const valuesOf = (body: Record<string, any>) => (body.Tags as Array<{ Value: string }>).map((t) => t.Value);

for (const version of [RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION]) {
  test(`ListTagKeys at ${version}: distinct keys in byte order, token pages, prefix filter, by resource type`, async () => {
    const call = version === RESOURCE_MANAGER_VERSION ? main20 : main22;
    const all = await call('ListTagKeys', { ResourceType: 'Account' });
    assert.deepEqual(keysOf(all), ['cost', 'env', 'env-old', 'environment', 'team']);
    assert.equal('NextToken' in all, false);
    const first = await call('ListTagKeys', { ResourceType: 'Account', MaxResults: 2 });
    assert.deepEqual(keysOf(first), ['cost', 'env']);
    const second = await call('ListTagKeys', { ResourceType: 'Account', MaxResults: 2, NextToken: first.NextToken });
    assert.deepEqual(keysOf(second), ['env-old', 'environment']);
    const last = await call('ListTagKeys', { ResourceType: 'Account', MaxResults: 2, NextToken: second.NextToken });
    assert.deepEqual(keysOf(last), ['team']);
    assert.equal('NextToken' in last, false);
    assert.deepEqual(keysOf(await call('ListTagKeys', { ResourceType: 'Account', KeyFilter: 'env' })), ['env', 'env-old', 'environment']);
    assert.deepEqual(keysOf(await call('ListTagKeys', { ResourceType: 'Account', KeyFilter: 'nothing' })), []);
    assert.deepEqual(keysOf(await call('ListTagKeys', { ResourceType: 'Folder' })), ['owner']);
  });

  test(`ListTagValues at ${version}: one key's distinct values, the empty value included, pages and prefix filter`, async () => {
    const call = version === RESOURCE_MANAGER_VERSION ? main20 : main22;
    assert.deepEqual(valuesOf(await call('ListTagValues', { ResourceType: 'Account', TagKey: 'env' })), ['dev', 'prod']);
    assert.deepEqual(valuesOf(await call('ListTagValues', { ResourceType: 'Account', TagKey: 'env-old' })), ['']);
    const first = await call('ListTagValues', { ResourceType: 'Account', TagKey: 'env', MaxResults: 1 });
    assert.deepEqual(valuesOf(first), ['dev']);
    const rest = await call('ListTagValues', { ResourceType: 'Account', TagKey: 'env', MaxResults: 1, NextToken: first.NextToken });
    assert.deepEqual(valuesOf(rest), ['prod']);
    assert.equal('NextToken' in rest, false);
    assert.deepEqual(valuesOf(await call('ListTagValues', { ResourceType: 'Account', TagKey: 'env', ValueFilter: 'pr' })), ['prod']);
    assert.deepEqual(valuesOf(await call('ListTagValues', { ResourceType: 'Folder', TagKey: 'env' })), []);
  });

  test(`ListTagKeys and ListTagValues refusals at ${version}`, async () => {
    const call = version === RESOURCE_MANAGER_VERSION ? main20 : main22;
    await assertFailure(call('ListTagKeys', {}), 400, 'MissingParameter.ResourceType', 'You must specify ResourceType.');
    await assertFailure(call('ListTagKeys', { ResourceType: 'ResourceGroup' }), 400, 'InvalidParameter.ResourceType', 'The ResourceType is invalid.');
    await assertFailure(call('ListTagKeys', { ResourceType: 'Account', NextToken: '%%%' }), 400, 'InvalidParameter.NextToken', 'The NextToken is invalid.');
    await assertFailure(call('ListTagKeys', { ResourceType: 'Account', MaxResults: 101 }), 400, 'InvalidParameter.MaxResults', 'The MaxResults is invalid.');
    await assertFailure(call('ListTagValues', { ResourceType: 'Account' }), 400, 'MissingParameter.TagKey', 'You must specify TagKey.');
    await assertFailure(call('ListTagValues', { ResourceType: 'Folder', TagKey: 'env', NextToken: 'bm90IGpzb24' }), 400, 'InvalidParameter.NextToken', 'The NextToken is invalid.');
  });
}

test('tenancy: another tenant sees none of these names; a caller without a directory is refused', async () => {
  await other22('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  assert.deepEqual(keysOf(await other22('ListTagKeys', { ResourceType: 'Account' })), []);
  assert.deepEqual(valuesOf(await other22('ListTagValues', { ResourceType: 'Account', TagKey: 'env' })), []);
  const bare = openApiClient(server.url, KEYS.bare);
  const noDirectory = 'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.';
  await assertFailure(bare('ListTagKeys', { ResourceType: 'Account' }), 404, 'EntityNotExists.ResourceDirectory', noDirectory);
  await assertFailure(bare('ListTagValues', { ResourceType: 'Account', TagKey: 'env' }), 404, 'EntityNotExists.ResourceDirectory', noDirectory);
});

test('ListTagResources at 2020-03-31: no ResourceType (resource groups) answers an empty list; Account answers the tags', async () => {
  assert.deepEqual(await main20('ListTagResources', {}).then(({ RequestId, ...rest }) => rest), { TagResources: [] });
  assert.deepEqual((await main20('ListTagResources', { ResourceType: 'ResourceGroup', MaxResults: 5 })).TagResources, []);
  const tags = await main20('ListTagResources', { ResourceType: 'Account', 'ResourceId.1': accounts[1]! });
  assert.deepEqual(tags.TagResources.map((t: any) => `${t.TagKey}=${t.TagValue}`), ['env=prod', 'environment=x', 'team=core']);
  // At 2022-04-19 ResourceType stays required.
  await assertFailure(main22('ListTagResources', {}), 400, 'MissingParameter.ResourceType', 'You must specify ResourceType.');
});

test('EnableResourceDirectory at 2020-03-31', async () => {
  const fresh = await startTestServer();
  try {
    const other20 = popCore(fresh.url, KEYS.other, 'POST', RESOURCE_MANAGER_VERSION);
    const body = await other20('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    assert.deepEqual(Object.keys(body.ResourceDirectory).sort(), ['CreateTime', 'MasterAccountId', 'MasterAccountName', 'ResourceDirectoryId', 'RootFolderId']);
    assert.equal(body.ResourceDirectory.MasterAccountId, KEYS.other.accountId);
    await assertFailure(
      other20('EnableResourceDirectory', { EnableMode: 'CurrentAccount' }),
      409,
      'EntityAlreadyExists.ResourceDirectory',
      'The resource directory for the account is already enabled. Please do not enable it again.',
    );
    await assertFailure(other20('EnableResourceDirectory', {}), 400, 'MissingParameter.EnableMode', 'You must specify EnableMode.');
  } finally {
    await fresh.stop();
  }
});
