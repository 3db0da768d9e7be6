import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, type TestServer } from '../helpers/server.js';
import { Provider, type State } from '../helpers/terraform/provider.js';
import { change, create, destroy, importVerify, lifecycle, startReplay } from '../helpers/terraform/run.js';
import { RDM22, RM20 } from '../helpers/terraform/tea-rpc.js';

/**
 * alicloud_resource_manager_account and data.alicloud_resource_manager_accounts replayed as
 * the provider runs them: the account on ResourceManager 2020-03-31, its payer changes and
 * tags on ResourceDirectoryMaster 2022-04-19, deletion through CheckAccountDelete, DeleteAccount
 * and the GetAccountDeletionStatus poll (docs/compatibility.md, "Terraform").
 */
let server: TestServer;
let tf: Provider;
let folderIds: string[];
before(async () => {
  ({ server, tf } = await startReplay());
  // Members may be deleted only once the directory allows it (alicloud_resource_manager_resource_directory.member_deletion_status).
  await tf.call(RM20, 'SetMemberDeletionPermission', { Status: 'Enabled' });
  // basic0 step 3 moves the account to data.alicloud_resource_manager_folders.default.ids.1: two top-level folders.
  for (const name of ['tf-acc-a', 'tf-acc-b']) await tf.call(RM20, 'CreateFolder', { FolderName: name });
  folderIds = (await tf.folders({})).ids;
});
after(() => server.stop());

test('basic0: display name, new display name, another folder, the management account as payer, tags added, changed, removed; import; destroy twice', async () => {
  const name = 'tf-testacc-0';
  const base: State = { display_name: name, force_delete: true };
  const moved: State = { ...base, display_name: `${name}1`, folder_id: folderIds[1]! };
  // payer_account_id = data.alicloud_account.default.id: the management account, learnt from STS.
  const managementAccount = await tf.callerAccount();
  assert.equal(managementAccount, KEYS.main.accountId);
  const paid: State = { ...moved, payer_account_id: managementAccount };
  const r = await lifecycle(
    tf.account,
    [
      base,
      { ...base, display_name: `${name}1` },
      moved,
      paid,
      { ...paid, tags: { Created: 'TF', For: 'Test' } },
      { ...paid, tags: { Created: 'TF-update', For: 'Test-update' } },
      paid,
    ],
    // A retried destroy finds the account gone: DeleteAccount's 404 counts as done.
    { display_name: name },
  );
  assert.equal(r.state.type, 'ResourceAccount');
  assert.equal(r.state.status, 'CreateSuccess');
  assert.equal(r.state.join_method, 'created');
  // The deletion is remembered: GetAccountDeletionStatus answers Success after the account is gone.
  const status = (await tf.call(RM20, 'GetAccountDeletionStatus', { AccountId: r.id })).RdAccountDeletionStatus;
  assert.equal(status.Status, 'Success');
  assert.equal(status.AccountId, r.id);
});

test('basic0_twin: everything in one apply (folder, payer, tags, type), then the payer removed', async () => {
  const config: State = {
    display_name: 'tf-testacc-twin',
    folder_id: folderIds[0]!,
    payer_account_id: KEYS.main.accountId,
    type: 'ResourceAccount',
    tags: { Created: 'TF', For: 'Test' },
    account_name_prefix: 'tftwin',
    resell_account_type: 'non_resell',
    force_delete: true,
  };
  let r = await create(tf.account, config);
  assert.deepEqual(r.state.tags, { Created: 'TF', For: 'Test' });
  assert.equal((await tf.call(RM20, 'GetAccount', { AccountId: r.id })).Account.AccountName.startsWith('tftwin@'), true);
  // Removing payer_account_id sends UpdatePayerForAccount with PayerAccountId="": the account pays for itself again.
  const { payer_account_id: _payer, ...withoutPayer } = config;
  r = await change(r, withoutPayer);
  assert.equal(r.state.payer_account_id, '');
  await importVerify(r);
  await destroy(r, { display_name: 'tf-testacc-twin' });
});

test('destroy is refused while the directory forbids member deletion, and for a payer of others', async () => {
  const payer = await create(tf.account, { display_name: 'tf-payer', force_delete: true });
  const paid = await create(tf.account, { display_name: 'tf-paid', payer_account_id: payer.id });
  await assert.rejects(tf.account.delete(payer.id, payer.config), (err: any) => err.statusCode === 409 && err.code === 'DeleteConflict.Account.Payer');
  await tf.call(RM20, 'SetMemberDeletionPermission', { Status: 'Disabled' });
  await assert.rejects(tf.account.delete(paid.id, paid.config), (err: any) => err.statusCode === 409 && err.code === 'NoLicense.ResourceDirectory');
  await tf.call(RM20, 'SetMemberDeletionPermission', { Status: 'Enabled' });
  await destroy(paid);
  await destroy(payer, { display_name: 'tf-payer' });
});

test('accounts data source: ids, status, tags (AND of every pair), enable_details; payer_account_id empty unless set', async () => {
  const tagged = await create(tf.account, { display_name: 'tf-ds-tagged', tags: { Created: 'TF', For: 'Account' } });
  const other = await create(tf.account, { display_name: 'tf-ds-other', tags: { Created: 'TF' } });
  const byTags = await tf.accounts({ tags: { Created: 'TF', For: 'Account' } });
  assert.deepEqual(byTags.ids, [tagged.id]);
  const [item] = byTags.accounts;
  assert.deepEqual(item!.tags, { Created: 'TF', For: 'Account' });
  assert.equal(item!.account_name, '');
  assert.equal(item!.deletion_status, '');
  for (const key of ['join_method', 'join_time', 'modify_time', 'folder_id', 'resource_directory_id']) assert.notEqual(item![key], '', key);
  assert.deepEqual((await tf.accounts({ tags: { Created: 'TF' } })).ids.sort(), [tagged.id, other.id].sort());
  assert.deepEqual((await tf.accounts({ ids: [tagged.id], status: 'CreateSuccess' })).ids, [tagged.id]);
  assert.deepEqual((await tf.accounts({ ids: [tagged.id], status: 'CreateFailed' })).ids, []);
  const detailed = await tf.accounts({ ids: [tagged.id], enable_details: true });
  assert.match(detailed.accounts[0]!.account_name, /@rd-[a-z0-9]{6}\.aliyunid\.com$/);
  assert.equal(detailed.accounts[0]!.payer_account_id, '');
  await destroy(tagged);
  await destroy(other);
});

test('deletion pre-check and status reads before and after: EntityNotExists.CheckAccount, PreCheckComplete, Success, 404 for a stranger', async () => {
  const r = await create(tf.account, { display_name: 'tf-checks' });
  await assert.rejects(tf.call(RM20, 'GetAccountDeletionCheckResult', { AccountId: r.id }), (err: any) => err.statusCode === 409 && err.code === 'EntityNotExists.CheckAccount');
  await assert.rejects(tf.call(RM20, 'GetAccountDeletionStatus', { AccountId: r.id }), (err: any) => err.statusCode === 409 && err.code === 'EntityNotExists.CheckAccount');
  await tf.call(RM20, 'CheckAccountDelete', { AccountId: r.id });
  assert.deepEqual((await tf.call(RM20, 'GetAccountDeletionCheckResult', { AccountId: r.id })).AccountDeletionCheckResultInfo, {
    AbandonableChecks: [],
    AllowDelete: 'true',
    NotAllowReason: [],
    Status: 'PreCheckComplete',
  });
  // abandonable_check_id = ["NON_SP_cs"] arrives as a JSON-array string.
  assert.deepEqual(await tf.call(RM20, 'DeleteAccount', { AccountId: r.id, AbandonableCheckId: '["NON_SP_cs"]' }).then((b) => b.DeletionType), '0');
  await assert.rejects(tf.call(RM20, 'GetAccount', { AccountId: r.id }), (err: any) => err.statusCode === 404 && err.code === 'EntityNotExists.Account');
  await assert.rejects(tf.call(RM20, 'GetAccountDeletionStatus', { AccountId: '1999999999999999' }), (err: any) => err.statusCode === 404);
  // The management account and invited accounts cannot be deleted.
  await assert.rejects(tf.call(RM20, 'DeleteAccount', { AccountId: KEYS.main.accountId }), (err: any) => err.code === 'AccountTypeOrStatusMismatch');
  await assert.rejects(tf.call(RDM22, 'DeleteAccount', { AccountId: r.id, AbandonableCheckId: 'NON_SP_cs' }), (err: any) => err.code === 'InvalidParameter.AbandonableCheckId');
});

test('UpdateAccount: the same type is a no-op, a resource account may become a cloud account but not back', async () => {
  const r = await create(tf.account, { display_name: 'tf-upgrade', type: 'ResourceAccount' });
  const before = await tf.call(RM20, 'GetAccount', { AccountId: r.id });
  await tf.call(RM20, 'UpdateAccount', { AccountId: r.id, NewAccountType: 'ResourceAccount' });
  assert.deepEqual(await tf.call(RM20, 'GetAccount', { AccountId: r.id }).then((b) => b.Account), before.Account);
  const upgraded = await change(r, { display_name: 'tf-upgrade', type: 'CloudAccount' });
  assert.equal(upgraded.state.type, 'CloudAccount');
  await assert.rejects(tf.call(RM20, 'UpdateAccount', { AccountId: r.id, NewAccountType: 'ResourceAccount' }), (err: any) => err.statusCode === 409 && err.code === 'AccountTypeMismatch');
  await assert.rejects(tf.call(RM20, 'UpdateAccount', { AccountId: r.id, NewDisplayName: 'tf-payer x'.repeat(10) }), (err: any) => err.code === 'InvalidParameter.DisplayName');
});
