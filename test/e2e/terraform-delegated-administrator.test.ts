import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';
import { delegatedAdministrator, delegatedAdministrators } from '../helpers/terraform/delegated-administrator.js';
import { create, destroy, importVerify, replace, startReplay } from '../helpers/terraform/run.js';
import { Provider, type ResourceModel } from '../helpers/terraform/provider.js';
import { RM20, TeaError, teaRpc } from '../helpers/terraform/tea-rpc.js';

/**
 * alicloud_resource_manager_delegated_administrator and
 * data.alicloud_resource_manager_delegated_administrators replayed as the provider runs them,
 * on ResourceManager 2020-03-31 (docs/compatibility.md, "Terraform").
 */
let server: TestServer;
let tf: Provider;
let model: ResourceModel;
before(async () => {
  ({ server, tf } = await startReplay());
  model = delegatedAdministrator(tf);
  await tf.call(RM20, 'SetMemberDeletionPermission', { Status: 'Enabled' });
});
after(() => server.stop());

const isCode = (code: string) => (err: unknown) => err instanceof TeaError && err.code === code;

/** The provider's own destroy, then what a second `terraform destroy` does: its refresh finds nothing, so it calls nothing. */
async function destroyDelegation(r: Awaited<ReturnType<typeof create>>) {
  await r.model.delete(r.id, r.config);
  assert.equal(await r.model.read(r.id), null);
  await assert.rejects(r.model.delete(r.id, r.config), isCode('AccountNotRegistered'));
}

test('basic: an account and its delegation; create, refresh with an empty plan, import, destroy in dependency order', async () => {
  const account = await create(tf.account, { display_name: 'tf-delegate' });
  const r = await create(model, { account_id: account.id, service_principal: 'cloudsso.aliyuncs.com' });
  assert.equal(r.id, `${account.id}:cloudsso.aliyuncs.com`);
  assert.deepEqual(r.state, { account_id: account.id, service_principal: 'cloudsso.aliyuncs.com' });
  await importVerify(r);

  const ds = await delegatedAdministrators(tf, { service_principal: 'cloudsso.aliyuncs.com' });
  assert.deepEqual(ds.ids, [r.id]);
  assert.deepEqual({ ...ds.administrators[0], delegation_enabled_time: undefined }, {
    account_id: account.id,
    delegation_enabled_time: undefined,
    id: r.id,
    service_principal: 'cloudsso.aliyuncs.com',
  });
  assert.match(ds.administrators[0]!.delegation_enabled_time as string, /^\d{13}$/);
  assert.deepEqual((await delegatedAdministrators(tf, { ids: [`${r.id}_fake`] })).ids, []);
  assert.deepEqual((await delegatedAdministrators(tf, { service_principal: 'config.aliyuncs.com' })).ids, []);

  // Destroying the account first is refused while it is a delegate; Terraform orders the delegation first.
  await assert.rejects(tf.account.delete(account.id, account.config), isCode('RemoveConfilctAccountAsDelegatedAdministator'));
  await destroyDelegation(r);
  await destroy(account);
});

test('a new service_principal or account_id replaces the delegation: deregister the old pair, register the new', async () => {
  const first = await create(tf.account, { display_name: 'tf-replace-1' });
  const second = await create(tf.account, { display_name: 'tf-replace-2' });
  const r = await create(model, { account_id: first.id, service_principal: 'config.aliyuncs.com' });
  const otherService = await replace(r, { account_id: first.id, service_principal: 'actiontrail.aliyuncs.com' });
  const otherAccount = await replace(otherService, { account_id: second.id, service_principal: 'actiontrail.aliyuncs.com' });
  assert.deepEqual((await delegatedAdministrators(tf)).ids, [`${second.id}:actiontrail.aliyuncs.com`]);
  await importVerify(otherAccount);
  await destroyDelegation(otherAccount);
  await destroy(first);
  await destroy(second);
});

test('a second registration of the same pair fails as the provider reports it; a vanished delegation refreshes as gone', async () => {
  const account = await create(tf.account, { display_name: 'tf-twice' });
  const r = await create(model, { account_id: account.id, service_principal: 'ros.aliyuncs.com' });
  await assert.rejects(model.create(r.config), isCode('AccountAlreadyRegistered'));
  // Deregistered outside Terraform: the next refresh drops it from the state.
  await tf.call(RM20, 'DeregisterDelegatedAdministrator', { AccountId: account.id, ServicePrincipal: 'ros.aliyuncs.com' });
  assert.equal(await model.read(r.id), null);
  await destroy(account);
});

test('paging: the data source reads pages of 50 until a short one; the resource reads its service only', async () => {
  const principals = [
    'actiontrail.aliyuncs.com', 'config.aliyuncs.com', 'sas.aliyuncs.com', 'waf.aliyuncs.com', 'tag.aliyuncs.com', 'cloudfw.aliyuncs.com',
    'ddosbgp.aliyuncs.com', 'bastionhost.aliyuncs.com', 'sddp.aliyuncs.com', 'prometheus.aliyuncs.com', 'energy.aliyuncs.com',
  ];
  const accounts = [];
  for (let i = 0; i < 5; i++) accounts.push((await tf.call(RM20, 'CreateResourceAccount', { DisplayName: `tf-bulk-${i}` })).Account.AccountId as string);
  const ids: string[] = [];
  for (const account of accounts) {
    for (const principal of principals) {
      await tf.call(RM20, 'RegisterDelegatedAdministrator', { AccountId: account, ServicePrincipal: principal });
      ids.push(`${account}:${principal}`);
    }
  }
  // 55 delegations, 5 for each of 11 services: pages of 50 and 5.
  const ds = await delegatedAdministrators(tf);
  assert.deepEqual([...ds.ids].sort(), [...ids].sort());
  for (const id of [ids[0]!, ids[ids.length - 1]!]) assert.deepEqual(await model.read(id), { account_id: id.split(':')[0], service_principal: id.split(':')[1] });
  for (const id of ids) await model.delete(id, {});
  assert.deepEqual((await delegatedAdministrators(tf)).ids, []);
});

test('the resource pages its service by 50: an account on the second page is found (RDMC_TRUSTED_SERVICES=cloudsso.aliyuncs.com=60)', async () => {
  const big = await startTestServer({ trustedServices: 'cloudsso.aliyuncs.com=60' });
  try {
    const provider = new Provider(teaRpc(big.url, KEYS.main));
    const sso = delegatedAdministrator(provider);
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) {
      const account = (await provider.call(RM20, 'CreateResourceAccount', { DisplayName: `tf-sso-${i}` })).Account.AccountId as string;
      ids.push(await sso.create({ account_id: account, service_principal: 'cloudsso.aliyuncs.com' }));
    }
    const page = await provider.call(RM20, 'ListDelegatedAdministrators', { ServicePrincipal: 'cloudsso.aliyuncs.com', PageNumber: 2, PageSize: 50 });
    const last = `${page.Accounts.Account[0].AccountId}:cloudsso.aliyuncs.com`;
    assert.deepEqual(await sso.read(last), { account_id: last.split(':')[0], service_principal: 'cloudsso.aliyuncs.com' });
    assert.equal((await delegatedAdministrators(provider, { service_principal: 'cloudsso.aliyuncs.com' })).ids.length, 51);
  } finally {
    await big.stop();
  }
});
