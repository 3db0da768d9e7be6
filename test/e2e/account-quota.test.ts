import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomIds, type IdSource } from '../../src/domain/ids.js';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, openApiCore, popCore, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer } from '../helpers/server.js';
import { RDM22, RM20, teaRpc } from '../helpers/terraform/tea-rpc.js';

/**
 * The member-account quota per directory (RDMC_ACCOUNT_QUOTA; docs/operations.md "Limits"),
 * lowered to 3 here: past it, CreateResourceAccount at either API version, seeding and a
 * state file are refused with Alibaba Cloud's LimitExceeded.Account, and nothing of the
 * refused call, seed or file is written. And the default account names, unique by
 * construction.
 */
const QUOTA = 3;
const LIMIT_EXCEEDED = [409, 'LimitExceeded.Account', 'The maximum number of member accounts in a resource directory exceeds the limit.'] as const;

const displayNames = async (call: Call) =>
  (await call('ListAccounts', { PageSize: 100 })).Accounts.Account.map((a: any) => a.DisplayName as string).sort();

test('CreateResourceAccount: LimitExceeded.Account past the quota at both API versions, the management account not counted; seeding is refused whole', async (t) => {
  const server = await startTestServer({ accountQuota: QUOTA });
  t.after(() => server.stop());
  const call = openApiCore(server.url);
  const rpc = teaRpc(server.url);
  const admin = adminClient(server.url);
  await call('CreateResourceAccount', { DisplayName: 'one' });
  await rpc(RM20, 'CreateResourceAccount', { DisplayName: 'two' });
  const before = await displayNames(call);

  // A seed that does not fit writes none of its accounts.
  const seed = await admin.raw('POST', '/seed', { Accounts: 2 });
  assert.deepEqual([seed.status, seed.body.Code, seed.body.Message], LIMIT_EXCEEDED);
  assert.deepEqual(await displayNames(call), before, 'nothing of the refused seed');
  assert.equal((await admin.post('/seed', { Accounts: 1 })).AccountIds.length, 1);

  await assertFailure(call('CreateResourceAccount', { DisplayName: 'four' }), ...LIMIT_EXCEEDED);
  await assertFailure(popCore(server.url)('CreateResourceAccount', { DisplayName: 'four' }), ...LIMIT_EXCEEDED);
  await assertFailure(rpc(RM20, 'CreateResourceAccount', { DisplayName: 'four' }), ...LIMIT_EXCEEDED);
  await assertFailure(rpc(RDM22, 'CreateResourceAccount', { DisplayName: 'four', 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }), ...LIMIT_EXCEEDED);
  const after = await displayNames(call);
  assert.equal(after.length, 4, 'three members and the management account');
  assert.ok(!after.includes('four'), 'nothing was created');
  assert.deepEqual((await call('ListTagResources', { ResourceType: 'Account' })).TagResources, [], 'no tag of a refused account was written');

  // The quota is each directory's own.
  const other = openApiCore(server.url, KEYS.other);
  await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  await other('CreateResourceAccount', { DisplayName: 'elsewhere' });
});

test('a state file that would pass the account quota is refused whole (POST, PUT and --init); accounts that exist take no place', async (t) => {
  const server = await startTestServer({ accountQuota: QUOTA });
  t.after(() => server.stop());
  const admin = adminClient(server.url);
  const call = openApiCore(server.url);
  const file = (root: string[], inFolder: string[]) => ({
    Directories: [{
      MasterAccountId: KEYS.main.accountId,
      Accounts: root.map((DisplayName) => ({ DisplayName })),
      Folders: [{ FolderName: 'f', Accounts: inFolder.map((DisplayName) => ({ DisplayName })) }],
    }],
  });
  const before = await displayNames(call);
  const tooMany = file(['aa', 'bb'], ['cc', 'dd']);

  for (const method of ['POST', 'PUT']) {
    const refused = await admin.raw(method, '/state', tooMany);
    assert.deepEqual([refused.status, refused.body.Code, refused.body.Message], LIMIT_EXCEEDED, method);
    assert.deepEqual(await displayNames(call), before, `${method}: no account of the refused file`);
  }

  const within = file(['aa', 'bb'], ['cc']);
  assert.deepEqual((await admin.post('/state', within)).Applied, { Folders: 1, Accounts: 3, Contacts: 0 });
  assert.deepEqual((await admin.post('/state', within)).Applied, { Folders: 0, Accounts: 0, Contacts: 0 }, 'what exists takes no place');
  const oneMore = await admin.raw('POST', '/state', file([], ['dd']));
  assert.deepEqual([oneMore.status, oneMore.body.Code], LIMIT_EXCEEDED.slice(0, 2));

  await assert.rejects(
    startTestServer({ accountQuota: QUOTA }, { initialState: tooMany as any }),
    (err: any) => err.code === 'LimitExceeded.Account',
  );
});

/** Account IDs that all end in the same 8 digits: the old default names (`member` + those digits) were one name. */
function sameSuffixIds(): IdSource {
  let n = 0;
  return { ...randomIds, accountId: () => `${++n}000000012345678` };
}

test('default account names are unique by construction: IDs that share their last 8 digits get distinct names (API and state file)', async (t) => {
  const ids = sameSuffixIds();
  const server = await startTestServer({}, { ids });
  t.after(() => server.stop());
  const call = openApiCore(server.url);
  const first = (await call('CreateResourceAccount', { DisplayName: 'first' })).Account;
  const second = (await teaRpc(server.url)(RM20, 'CreateResourceAccount', { DisplayName: 'second' })).Account;
  assert.equal(first.AccountId.slice(-8), second.AccountId.slice(-8));
  const domain = `@${first.ResourceDirectoryId.toLowerCase()}.aliyunid.com`;
  assert.equal(first.AccountName, `member${first.AccountId}${domain}`);
  assert.equal(second.AccountName, `member${second.AccountId}${domain}`);

  // A state file's accounts without AccountName, whose IDs share their last 8 digits.
  const applied = await adminClient(server.url).post('/state', {
    Directories: [{
      MasterAccountId: KEYS.main.accountId,
      Accounts: [{ DisplayName: 'third', AccountId: '7000000087654321' }, { DisplayName: 'fourth', AccountId: '8000000087654321' }],
    }],
  });
  assert.equal(applied.Applied.Accounts, 2);
  const names = (await call('ListAccounts', { PageSize: 100 })).Accounts.Account.map((a: any) => a.AccountName);
  assert.ok(names.includes(`member7000000087654321${domain}`) && names.includes(`member8000000087654321${domain}`), names.join(' '));
});
