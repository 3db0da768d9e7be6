import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION } from '../../src/domain/api-versions.js';
import { adminClient } from '../helpers/admin.js';
import { openApiClient, popCore, type Call } from '../helpers/clients.js';
import { ERR as COMMON, rejects } from '../helpers/contacts.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { startStsWorld, type StsWorld } from '../helpers/sts.js';

/**
 * Delegated administrators and trusted services through the official clients, at
 * ResourceDirectoryMaster 2022-04-19 (openapi-client, v3) and ResourceManager 2020-03-31
 * (pop-core, POST as Terraform sends): every documented error, tenancy, and the refusal to
 * delete a member that administers a service (docs/compatibility.md, "Delegated administrators").
 */
let server: TestServer;
const versions: Array<[string, () => Call]> = [];
let main22: Call;
let other22: Call;
before(async () => {
  server = await startTestServer();
  main22 = openApiClient(server.url, KEYS.main, 'v3', undefined, RESOURCE_DIRECTORY_MASTER_VERSION);
  other22 = openApiClient(server.url, KEYS.other, 'v3', undefined, RESOURCE_DIRECTORY_MASTER_VERSION);
  const main20 = popCore(server.url, KEYS.main, 'POST', RESOURCE_MANAGER_VERSION);
  versions.push([RESOURCE_DIRECTORY_MASTER_VERSION, () => main22], [RESOURCE_MANAGER_VERSION, () => main20]);
  await other22('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
});
after(() => server.stop());

let made = 0;
const member = async (call: Call = main22) =>
  (await call('CreateResourceAccount', { DisplayName: `delegate ${++made}` })).Account as { AccountId: string; DisplayName: string };

const CONFIG = 'config.aliyuncs.com';
const ROS = 'ros.aliyuncs.com';
const ERR = {
  principal: [409, 'InvalidParameter.ServicePrincipal', 'The specified ServicePrincipal is invalid.'],
  already: [409, 'AccountAlreadyRegistered', 'The specified account is already a delegated administrator for this service.'],
  notRegistered: [409, 'AccountNotRegistered', 'The specified account is not a delegated administrator for this service.'],
  exceeded: [409, 'DelegatedAccountNumberExceeded', 'The maximum number of delegated administrators for the service principal is exceeded.'],
  master: [
    409,
    'CannotRegisterMasterAsDelegatedAdministrator',
    'You attempted to register the enterprise management account as a delegated administrator for the service. You can designate only a member account as a delegated administrator.',
  ],
  deleteConflict: [
    409,
    'RemoveConfilctAccountAsDelegatedAdministator',
    'You attempted to remove a member that is registered as a delegated administrator. To complete this operation, you must first deregister this account as a delegated administrator.',
  ],
  accountId: [400, 'InvalidParameter.AccountId', 'Specify a 16-digit ID.'],
  noAccount: [404, 'EntityNotExists.Account', 'This resource directory account does not exist.'],
  noDirectory: COMMON.noDirectory,
  nextToken: COMMON.invalid('NextToken'),
} as const;

describe('registration, lists and deregistration at both versions', () => {
  for (const version of [RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION]) {
    test(version, async () => {
      const call = versions.find(([v]) => v === version)![1]();
      const a = await member();
      const b = await member();
      const before = Date.now();
      for (const [account, principal] of [[a, CONFIG], [b, CONFIG], [a, ROS]] as const) {
        assert.deepEqual(Object.keys(await call('RegisterDelegatedAdministrator', { AccountId: account.AccountId, ServicePrincipal: principal })), ['RequestId']);
      }
      const listed = await call('ListDelegatedAdministrators', { PageSize: 50 });
      assert.deepEqual({ ...listed, RequestId: undefined, Accounts: undefined }, { RequestId: undefined, Accounts: undefined, TotalCount: 3, PageNumber: 1, PageSize: 50 });
      const items = listed.Accounts.Account as Array<Record<string, string>>;
      // By service principal, then account ID.
      const [low, high] = [a, b].sort((x, y) => (x.AccountId < y.AccountId ? -1 : 1));
      assert.deepEqual(
        items.map(({ DelegationEnabledTime, ...rest }) => rest),
        [
          { AccountId: low!.AccountId, DisplayName: low!.DisplayName, JoinMethod: 'created', ServicePrincipal: CONFIG },
          { AccountId: high!.AccountId, DisplayName: high!.DisplayName, JoinMethod: 'created', ServicePrincipal: CONFIG },
          { AccountId: a.AccountId, DisplayName: a.DisplayName, JoinMethod: 'created', ServicePrincipal: ROS },
        ],
      );
      for (const item of items) {
        assert.match(item.DelegationEnabledTime!, /^\d{13}$/);
        assert.ok(Number(item.DelegationEnabledTime) >= before - 1000 && Number(item.DelegationEnabledTime) <= Date.now() + 1000);
      }

      // The ServicePrincipal filter and numbered pages.
      assert.deepEqual((await call('ListDelegatedAdministrators', { ServicePrincipal: ROS })).Accounts.Account.map((x: any) => x.AccountId), [a.AccountId]);
      const second = await call('ListDelegatedAdministrators', { ServicePrincipal: CONFIG, PageSize: 1, PageNumber: 2 });
      assert.deepEqual([second.TotalCount, second.PageNumber, second.PageSize, second.Accounts.Account.map((x: any) => x.AccountId)], [2, 2, 1, [high!.AccountId]]);
      const beyond = await call('ListDelegatedAdministrators', { PageNumber: 9 });
      assert.deepEqual([beyond.TotalCount, beyond.Accounts], [3, { Account: [] }]);
      assert.deepEqual((await call('ListDelegatedAdministrators', { ServicePrincipal: 'nobody.aliyuncs.com' })).Accounts, { Account: [] });

      // A member's services, by principal.
      const services = await call('ListDelegatedServicesForAccount', { AccountId: a.AccountId });
      assert.deepEqual(
        services.DelegatedServices.DelegatedService.map(({ DelegationEnabledTime, ...rest }: any) => rest),
        [
          { ServicePrincipal: CONFIG, Status: 'ENABLED' },
          { ServicePrincipal: ROS, Status: 'ENABLED' },
        ],
      );
      assert.equal('NextToken' in services, false);
      assert.deepEqual((await call('ListDelegatedServicesForAccount', { AccountId: (await member()).AccountId })).DelegatedServices, { DelegatedService: [] });

      // Trusted services: every enabled one for the management account, a delegate's own for a delegate.
      const status = await call('ListTrustedServiceStatus', {});
      assert.deepEqual([status.TotalCount, status.PageNumber, status.PageSize], [2, 1, 10]);
      assert.deepEqual(status.EnabledServicePrincipals.EnabledServicePrincipal.map((s: any) => s.ServicePrincipal), [CONFIG, ROS]);
      for (const s of status.EnabledServicePrincipals.EnabledServicePrincipal) assert.match(s.EnableTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const ofB = await call('ListTrustedServiceStatus', { AdminAccountId: b.AccountId });
      assert.deepEqual([ofB.TotalCount, ofB.EnabledServicePrincipals.EnabledServicePrincipal.map((s: any) => s.ServicePrincipal)], [1, [CONFIG]]);
      const paged = await call('ListTrustedServiceStatus', { PageSize: 1, PageNumber: 2 });
      assert.deepEqual(paged.EnabledServicePrincipals.EnabledServicePrincipal.map((s: any) => s.ServicePrincipal), [ROS]);

      for (const [account, principal] of [[a, CONFIG], [b, CONFIG], [a, ROS]] as const) {
        await call('DeregisterDelegatedAdministrator', { AccountId: account.AccountId, ServicePrincipal: principal });
      }
      const empty = await call('ListDelegatedAdministrators', {});
      assert.deepEqual([empty.TotalCount, empty.Accounts], [0, { Account: [] }]);
      assert.deepEqual((await call('ListTrustedServiceStatus', {})).EnabledServicePrincipals, { EnabledServicePrincipal: [] });
    });
  }
});

test('ListDelegatedServicesForAccount pages with MaxResults and NextToken at 2022-04-19', async () => {
  const a = await member();
  const principals = ['actiontrail.aliyuncs.com', CONFIG, ROS];
  for (const p of principals) await main22('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: p });
  const first = await main22('ListDelegatedServicesForAccount', { AccountId: a.AccountId, MaxResults: 2 });
  assert.deepEqual(first.DelegatedServices.DelegatedService.map((s: any) => s.ServicePrincipal), principals.slice(0, 2));
  assert.equal(first.MaxResults, 2);
  assert.equal(typeof first.NextToken, 'string');
  const rest = await main22('ListDelegatedServicesForAccount', { AccountId: a.AccountId, MaxResults: 2, NextToken: first.NextToken });
  assert.deepEqual(rest.DelegatedServices.DelegatedService.map((s: any) => s.ServicePrincipal), principals.slice(2));
  assert.equal('NextToken' in rest, false);
  await rejects(main22('ListDelegatedServicesForAccount', { AccountId: a.AccountId, NextToken: 'not a token!' }), ERR.nextToken);
  for (const p of principals) await main22('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: p });
});

test('every documented refusal of Register and Deregister, at both versions', async () => {
  const foreign = await member(other22);
  for (const [, get] of versions) {
    const call = get();
    const a = await member();
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: 'unknown.aliyuncs.com' }), ERR.principal);
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: 'abc', ServicePrincipal: CONFIG }), ERR.accountId);
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: '9999999999999999', ServicePrincipal: CONFIG }), ERR.noAccount);
    // Another tenant's member answers as one that does not exist.
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: foreign.AccountId, ServicePrincipal: CONFIG }), ERR.noAccount);
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: KEYS.other.accountId, ServicePrincipal: CONFIG }), ERR.noAccount);
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: KEYS.main.accountId, ServicePrincipal: CONFIG }), ERR.master);
    await rejects(call('RegisterDelegatedAdministrator', { ServicePrincipal: CONFIG }), COMMON.missing('AccountId'));
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: a.AccountId }), COMMON.missing('ServicePrincipal'));
    await call('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG });
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG }), ERR.already);

    await rejects(call('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: 'unknown.aliyuncs.com' }), ERR.principal);
    await rejects(call('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: ROS }), ERR.notRegistered);
    await rejects(call('DeregisterDelegatedAdministrator', { AccountId: 'abc', ServicePrincipal: CONFIG }), ERR.accountId);
    await rejects(call('DeregisterDelegatedAdministrator', { AccountId: foreign.AccountId, ServicePrincipal: CONFIG }), ERR.notRegistered);
    await call('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG });
    await rejects(call('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG }), ERR.notRegistered);

    await rejects(call('ListDelegatedServicesForAccount', { AccountId: foreign.AccountId }), ERR.noAccount);
    await rejects(call('ListDelegatedServicesForAccount', { AccountId: 'abc' }), ERR.accountId);
  }
});

test('a service takes at most its maximum of delegated administrators (5 by default)', async () => {
  const accounts = [];
  for (let i = 0; i < 6; i++) accounts.push(await member());
  for (const a of accounts.slice(0, 5)) await main22('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: 'cloudsso.aliyuncs.com' });
  await rejects(main22('RegisterDelegatedAdministrator', { AccountId: accounts[5]!.AccountId, ServicePrincipal: 'cloudsso.aliyuncs.com' }), ERR.exceeded);
  // Another service is counted on its own.
  await main22('RegisterDelegatedAdministrator', { AccountId: accounts[5]!.AccountId, ServicePrincipal: 'sas.aliyuncs.com' });
  for (const a of accounts.slice(0, 5)) await main22('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: 'cloudsso.aliyuncs.com' });
  await main22('DeregisterDelegatedAdministrator', { AccountId: accounts[5]!.AccountId, ServicePrincipal: 'sas.aliyuncs.com' });
});

test('tenancy: each directory lists only its own delegations; a caller without a directory gets EntityNotExists.ResourceDirectory', async () => {
  const mine = await member();
  const theirs = await member(other22);
  await main22('RegisterDelegatedAdministrator', { AccountId: mine.AccountId, ServicePrincipal: CONFIG });
  await other22('RegisterDelegatedAdministrator', { AccountId: theirs.AccountId, ServicePrincipal: CONFIG });
  assert.deepEqual((await main22('ListDelegatedAdministrators', {})).Accounts.Account.map((x: any) => x.AccountId), [mine.AccountId]);
  assert.deepEqual((await other22('ListDelegatedAdministrators', {})).Accounts.Account.map((x: any) => x.AccountId), [theirs.AccountId]);
  // The other directory's delegate is nobody's here.
  assert.deepEqual((await main22('ListTrustedServiceStatus', { AdminAccountId: theirs.AccountId })).EnabledServicePrincipals, { EnabledServicePrincipal: [] });
  for (const version of [RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION]) {
    const bare = openApiClient(server.url, KEYS.bare, 'v3', undefined, version);
    await rejects(bare('RegisterDelegatedAdministrator', { AccountId: mine.AccountId, ServicePrincipal: CONFIG }), ERR.noDirectory);
    await rejects(bare('DeregisterDelegatedAdministrator', { AccountId: mine.AccountId, ServicePrincipal: CONFIG }), ERR.noDirectory);
    await rejects(bare('ListDelegatedAdministrators', {}), ERR.noDirectory);
    await rejects(bare('ListDelegatedServicesForAccount', { AccountId: mine.AccountId }), ERR.noDirectory);
    await rejects(bare('ListTrustedServiceStatus', {}), ERR.noDirectory);
  }
  await main22('DeregisterDelegatedAdministrator', { AccountId: mine.AccountId, ServicePrincipal: CONFIG });
  await other22('DeregisterDelegatedAdministrator', { AccountId: theirs.AccountId, ServicePrincipal: CONFIG });
});

test('a delegated administrator cannot be deleted (CheckAccountDelete, DeleteAccount) until it is deregistered', async () => {
  await main22('SetMemberDeletionPermission', { Status: 'Enabled' });
  for (const [, get] of versions) {
    const call = get();
    const a = await member();
    await call('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG });
    await rejects(call('CheckAccountDelete', { AccountId: a.AccountId }), ERR.deleteConflict);
    await rejects(call('DeleteAccount', { AccountId: a.AccountId }), ERR.deleteConflict);
    await call('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG });
    await call('CheckAccountDelete', { AccountId: a.AccountId });
    await call('DeleteAccount', { AccountId: a.AccountId });
    await rejects(call('GetAccount', { AccountId: a.AccountId }), ERR.noAccount);
  }
});

describe('RDMC_TRUSTED_SERVICES', () => {
  let small: TestServer;
  before(async () => {
    small = await startTestServer({ trustedServices: 'example.aliyuncs.com=1' });
  });
  after(() => small.stop());

  test('only the configured principals, each up to its own maximum', async () => {
    const call = openApiClient(small.url);
    const a = (await call('CreateResourceAccount', { DisplayName: 'first' })).Account.AccountId;
    const b = (await call('CreateResourceAccount', { DisplayName: 'second' })).Account.AccountId;
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: a, ServicePrincipal: CONFIG }), ERR.principal);
    await call('RegisterDelegatedAdministrator', { AccountId: a, ServicePrincipal: 'example.aliyuncs.com' });
    await rejects(call('RegisterDelegatedAdministrator', { AccountId: b, ServicePrincipal: 'example.aliyuncs.com' }), ERR.exceeded);
  });
});

describe('a delegated administrator reads the trusted services it administers', () => {
  let world: StsWorld;
  before(async () => {
    world = await startStsWorld();
  });
  after(() => world.server.stop());

  test('with its own session; a member that administers nothing is refused as for any non-management account', async () => {
    const session = await world.session();
    const asMember = openApiClient(world.server.url, session, 'v3', undefined, RESOURCE_DIRECTORY_MASTER_VERSION);
    await rejects(asMember('ListTrustedServiceStatus', {}), ERR.noDirectory);
    await openApiClient(world.server.url)('RegisterDelegatedAdministrator', { AccountId: world.member, ServicePrincipal: ROS });
    const own = await asMember('ListTrustedServiceStatus', {});
    assert.deepEqual([own.TotalCount, own.EnabledServicePrincipals.EnabledServicePrincipal.map((s: any) => s.ServicePrincipal)], [1, [ROS]]);
    // Registering stays the management account's.
    await rejects(asMember('RegisterDelegatedAdministrator', { AccountId: world.member, ServicePrincipal: CONFIG }), ERR.noDirectory);
  });
});

test("state files carry delegations: an export lists each member's DelegatedServices, a replace restores them, applying again changes nothing", async () => {
  const a = await member();
  await main22('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG });
  await main22('RegisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: ROS });
  const admin = adminClient(server.url);
  const state = (await admin.get('/state')).State;
  const exported = state.Directories.flatMap((d: any) => d.Accounts).find((e: any) => e.AccountId === a.AccountId);
  assert.deepEqual(exported.DelegatedServices, [CONFIG, ROS]);
  const before = (await main22('ListDelegatedAdministrators', { PageSize: 100 })).Accounts.Account;

  await admin.put('/state', state);
  const after = (await main22('ListDelegatedAdministrators', { PageSize: 100 })).Accounts.Account;
  assert.deepEqual(after.map(({ DelegationEnabledTime, ...rest }: any) => rest), before.map(({ DelegationEnabledTime, ...rest }: any) => rest));
  await admin.post('/state', state);
  assert.equal((await main22('ListDelegatedAdministrators', {})).TotalCount, before.length);

  // A file naming a principal rdmc does not know is refused whole.
  const bad = structuredClone(state);
  bad.Directories.flatMap((d: any) => d.Accounts).find((e: any) => e.AccountId === a.AccountId).DelegatedServices = ['unknown.aliyuncs.com'];
  await assert.rejects(admin.put('/state', bad), /InvalidParameter.ServicePrincipal/);
  assert.equal((await main22('ListDelegatedAdministrators', {})).TotalCount, before.length);
  await main22('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: CONFIG });
  await main22('DeregisterDelegatedAdministrator', { AccountId: a.AccountId, ServicePrincipal: ROS });
});
