import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, type TestServer } from '../helpers/server.js';
import { handshakeAcceptanceModel, handshakeModel, handshakes } from '../helpers/terraform/handshakes.js';
import { Provider, type ResourceModel } from '../helpers/terraform/provider.js';
import { create, importVerify, refresh, startReplay } from '../helpers/terraform/run.js';
import { RM20, teaRpc, TeaError } from '../helpers/terraform/tea-rpc.js';

/**
 * alicloud_resource_manager_handshake (the management account's provider),
 * _handshake_acceptance (a second provider with the invited account's own keys) and
 * data.alicloud_resource_manager_handshakes, replayed as the provider runs them
 * (docs/compatibility.md, "Invitations").
 */
let server: TestServer;
let tf: Provider;
let invited: Provider;
let handshake: ResourceModel;
let acceptance: ResourceModel;
const target = KEYS.bare.accountId;

before(async () => {
  ({ server, tf } = await startReplay());
  invited = new Provider(teaRpc(server.url, KEYS.bare));
  handshake = handshakeModel(tf);
  acceptance = handshakeAcceptanceModel(invited);
});
after(() => server.stop());

test('an invitation never accepted: create, refresh with an empty plan, import, the data source, destroy by CancelHandshake', async () => {
  const r = await create(handshake, { target_entity: target, target_type: 'Account', note: 'tf-testacc' });
  assert.deepEqual([r.state.status, r.state.target_entity, r.state.master_account_id], ['Pending', target, KEYS.main.accountId]);
  await importVerify(r);
  const listed = await handshakes(tf, { ids: [r.id] });
  assert.deepEqual(listed.handshakes.map((h) => [h.id, h.status, h.note]), [[r.id, 'Pending', 'tf-testacc']]);
  assert.deepEqual((await handshakes(tf, { status: 'Accepted' })).ids, []);
  // Cancelled reads as gone; a second CancelHandshake answers HandshakeStatusMismatch.
  await handshake.delete(r.id, r.config);
  assert.equal(await handshake.read(r.id), null);
  await assert.rejects(tf.call(RM20, 'CancelHandshake', { HandshakeId: r.id }), (err: unknown) => err instanceof TeaError && err.code === 'HandshakeStatusMismatch');
});

test('accepted by the invited account own provider, then destroyed: HandshakeStatusMismatch leads to RemoveCloudAccount', async () => {
  const invitation = await create(handshake, { target_entity: target, target_type: 'Account' });
  const accepted = await create(acceptance, { handshake_id: invitation.id });
  assert.equal(accepted.state.status, 'Accepted');
  assert.equal(accepted.state.invited_account_real_name, `${target}@aliyun.com`);
  assert.equal(accepted.state.master_account_id, KEYS.main.accountId);
  await importVerify(accepted);
  // The management account's resource refreshes as accepted, with no diff.
  const refreshed = await refresh(invitation);
  assert.equal(refreshed.state.status, 'Accepted');
  await importVerify(refreshed);
  assert.equal((await tf.call(RM20, 'GetAccount', { AccountId: target })).Account.JoinMethod, 'invited');
  assert.deepEqual((await handshakes(tf, { status: 'Accepted' })).ids, [invitation.id]);
  // enable_details reads the accepted invitation by GetHandshake too, which must answer (the real names are the invitee's to see).
  assert.deepEqual((await handshakes(tf, { ids: [invitation.id], enable_details: true })).handshakes.map((h) => [h.status, h.invited_account_real_name, h.master_account_real_name]), [
    ['Accepted', '', ''],
  ]);

  // terraform destroy, in Terraform's order: the acceptance (no call), then the handshake.
  // The acceptance's Delete calls nothing: the invitation stays accepted, the member stays.
  await acceptance.delete(accepted.id, accepted.config);
  assert.equal((await acceptance.read(accepted.id))?.status, 'Accepted');
  assert.equal((await tf.call(RM20, 'GetAccount', { AccountId: target })).Account.AccountId, target);
  await handshake.delete(invitation.id, invitation.config);
  await assert.rejects(tf.call(RM20, 'GetAccount', { AccountId: target }), (err: unknown) => err instanceof TeaError && err.code === 'EntityNotExists.Account');
  // The directory can now be destroyed as far as members go; the account may be invited again.
  const again = await create(handshake, { target_entity: target, target_type: 'Account' });
  await handshake.delete(again.id, again.config);
});

test('an acceptance of an invitation the invited account cannot see fails at its first GetHandshake', async () => {
  const other = new Provider(teaRpc(server.url, KEYS.other));
  const invitation = await create(handshake, { target_entity: target, target_type: 'Account' });
  await assert.rejects(handshakeAcceptanceModel(other).create({ handshake_id: invitation.id }), /not visible to the invited account/);
  await handshake.delete(invitation.id, invitation.config);
});
