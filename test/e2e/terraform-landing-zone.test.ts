import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, type TestServer } from '../helpers/server.js';
import { controlPolicyModels } from '../helpers/terraform/control-policies.js';
import { delegatedAdministrator, delegatedAdministrators } from '../helpers/terraform/delegated-administrator.js';
import { handshakeAcceptanceModel, handshakeModel, handshakes } from '../helpers/terraform/handshakes.js';
import { Provider } from '../helpers/terraform/provider.js';
import { create, destroy, type Managed, refresh, startReplay } from '../helpers/terraform/run.js';
import { RDM22, RM20, TeaError, teaRpc } from '../helpers/terraform/tea-rpc.js';

/**
 * A landing zone as Alibaba's landing-zone code builds one (research note, section 2.2):
 * the directory with control policies and member deletion enabled, a Security and a
 * Workloads folder (Workloads holding Production), a log-archive and a security-tooling
 * account in Security and an application account in Production, three security services
 * delegated to the security account, a Deny guardrail on ActionTrail attached to Workloads,
 * an existing account invited (the management provider's handshake, the invitee's own
 * provider's acceptance), and a message contact bound to Security. Applied in Terraform's
 * dependency order, refreshed with no diff, destroyed in the reverse order. The management
 * account is `other`, which starts without a directory; the invitee is `bare`.
 */
let server: TestServer;
let tf: Provider;
let invitee: Provider;
before(async () => {
  ({ server, tf } = await startReplay(KEYS.other));
  invitee = new Provider(teaRpc(server.url, KEYS.bare));
});
after(() => server.stop());

/** The guardrail as `jsonencode` writes it (keys sorted): no trail may be stopped, changed or deleted but by the landing zone's own role. */
const protectActionTrail = JSON.stringify({
  Statement: [
    {
      Action: ['actiontrail:DeleteTrail', 'actiontrail:StopLogging', 'actiontrail:UpdateTrail', 'actiontrail:CreateDeliveryHistory'],
      Condition: { StringNotLike: { 'acs:PrincipalARN': ['acs:ram:*:*:role/resourcedirectoryaccountaccessrole'] } },
      Effect: 'Deny',
      Resource: '*',
    },
  ],
  Version: '1',
});

const SECURITY_SERVICES = ['cloudfw.aliyuncs.com', 'config.aliyuncs.com', 'actiontrail.aliyuncs.com'];

const code = (expected: string) => (err: unknown) => err instanceof TeaError && err.code === expected;
const attachedTo = async (target: string) =>
  ((await tf.call(RM20, 'ListControlPolicyAttachmentsForTarget', { TargetId: target })).ControlPolicyAttachments.ControlPolicyAttachment as Array<Record<string, string>>).map(
    (a) => a.PolicyId,
  );

test('a landing zone: apply in dependency order, refresh with no diff, destroy in reverse order to an empty directory', async () => {
  const cp = controlPolicyModels(tf);
  const delegation = delegatedAdministrator(tf);
  const handshake = handshakeModel(tf);
  const acceptance = handshakeAcceptanceModel(invitee);

  // --- terraform apply, in the graph's order -----------------------------------------------
  const rd = await create(tf.resourceDirectory, { status: 'Enabled', member_deletion_status: 'Enabled' });
  const root = rd.state.root_folder_id as string;
  const security = await create(tf.folder, { folder_name: 'Security', tags: { 'lz:layer': 'core' } });
  const workloads = await create(tf.folder, { folder_name: 'Workloads' });
  const production = await create(tf.folder, { folder_name: 'Production', parent_folder_id: workloads.id });
  const logArchive = await create(tf.account, { display_name: 'log-archive', folder_id: security.id, account_name_prefix: 'log-archive', force_delete: true });
  const securityTooling = await create(tf.account, { display_name: 'security-tooling', folder_id: security.id, tags: { 'lz:role': 'security' } });
  const app = await create(tf.account, { display_name: 'app-prod', folder_id: production.id, payer_account_id: logArchive.id, force_delete: true });
  const delegations: Managed[] = [];
  for (const principal of SECURITY_SERVICES) delegations.push(await create(delegation, { account_id: securityTooling.id, service_principal: principal }));
  const guardrail = await create(cp.policy, {
    control_policy_name: 'protect-actiontrail',
    description: 'Deny stopping, changing or deleting ActionTrail trails',
    effect_scope: 'RAM',
    policy_document: protectActionTrail,
    tags: { 'lz:guardrail': 'preventive' },
  });
  const attachment = await create(cp.attachment, { policy_id: guardrail.id, target_id: workloads.id });
  const invitation = await create(handshake, { target_entity: KEYS.bare.accountId, target_type: 'Account', note: 'Join the landing zone' });
  const accepted = await create(acceptance, { handshake_id: invitation.id });
  const contact = await create(tf.messageContact, {
    email_address: 'secops@example.com',
    message_contact_name: 'secops',
    message_types: ['SecurityMessage', 'ServiceMessage'],
    title: 'TechnicalDirector',
  });
  // The binding has no Terraform resource: the landing zone's pipeline calls AssociateMembers.
  await tf.call(RDM22, 'AssociateMembers', { ContactId: contact.id, 'Members.1': security.id });

  // What the apply built.
  assert.equal(rd.state.status, 'Enabled');
  assert.deepEqual([security.state.parent_folder_id, workloads.state.parent_folder_id, production.state.parent_folder_id], [root, root, workloads.id]);
  assert.deepEqual(await attachedTo(workloads.id), ['cp-FullAliyunAccess', guardrail.id]);
  for (const target of [root, security.id, production.id, logArchive.id, securityTooling.id, app.id, KEYS.bare.accountId]) {
    assert.deepEqual(await attachedTo(target), ['cp-FullAliyunAccess'], `${target} has the system policy, and only it`);
  }
  const invited = (await tf.call(RM20, 'GetAccount', { AccountId: KEYS.bare.accountId })).Account;
  assert.deepEqual([invited.Type, invited.JoinMethod, invited.FolderId], ['CloudAccount', 'invited', root]);
  assert.deepEqual(
    (await server.services.messageCenters.read(securityTooling.id)).Contacts.map((c) => [c.ContactId, c.Source, c.Via]),
    [[contact.id, 'Inherited', [security.id]]],
  );
  assert.deepEqual((await tf.call(RM20, 'ListDelegatedServicesForAccount', { AccountId: securityTooling.id })).DelegatedServices.DelegatedService.map((s: any) => s.ServicePrincipal), [
    'actiontrail.aliyuncs.com',
    'cloudfw.aliyuncs.com',
    'config.aliyuncs.com',
  ]);

  // --- terraform plan: every resource refreshes to an empty diff; the data sources the landing-zone modules read
  const all: Managed[] = [rd, security, workloads, production, logArchive, securityTooling, app, ...delegations, guardrail, attachment, invitation, accepted, contact];
  for (const r of all) await refresh(r);
  assert.equal((await tf.resourceDirectories())[0]!.status, 'Enabled');
  assert.deepEqual((await tf.folders({ name_regex: '^Production$', parent_folder_id: workloads.id, enable_details: true })).folders, [
    { id: production.id, folder_id: production.id, folder_name: 'Production', parent_folder_id: workloads.id },
  ]);
  // Display name to ID and status, as the guardrail and account-factory modules map them.
  const byName = Object.fromEntries((await tf.accounts({})).accounts.map((a) => [a.display_name, [a.id, a.status]]));
  assert.deepEqual(byName, {
    [`account-${KEYS.other.accountId}`]: [KEYS.other.accountId, 'InviteSuccess'],
    'log-archive': [logArchive.id, 'CreateSuccess'],
    'security-tooling': [securityTooling.id, 'CreateSuccess'],
    'app-prod': [app.id, 'CreateSuccess'],
    [`account-${KEYS.bare.accountId}`]: [KEYS.bare.accountId, 'InviteSuccess'],
  });
  assert.deepEqual((await delegatedAdministrators(tf)).ids.sort(), delegations.map((d) => d.id).sort());
  assert.deepEqual((await cp.policies({ policy_type: 'Custom', enable_details: true })).policies.map((p) => [p.id, p.attachment_count, p.policy_document]), [
    [guardrail.id, '1', protectActionTrail],
  ]);
  assert.deepEqual((await cp.attachments({ target_id: workloads.id, policy_type: 'Custom' })).map((a) => a.policy_id), [guardrail.id]);
  assert.deepEqual((await handshakes(tf, { status: 'Accepted' })).ids, [invitation.id]);

  // --- terraform destroy: dependents before what they reference ----------------------------
  await destroy(contact);
  await acceptance.delete(accepted.id, accepted.config);
  // CancelHandshake answers HandshakeStatusMismatch on an accepted invitation: the provider removes the member.
  await handshake.delete(invitation.id, invitation.config);
  await assert.rejects(tf.call(RM20, 'GetAccount', { AccountId: KEYS.bare.accountId }), code('EntityNotExists.Account'));
  await assert.rejects(invitee.call(RDM22, 'GetResourceDirectory'), code('ResourceDirectoryNotInUse'));
  await destroy(attachment);
  await destroy(guardrail);
  for (const d of delegations) {
    await d.model.delete(d.id, d.config);
    assert.equal(await d.model.read(d.id), null);
  }
  assert.deepEqual((await delegatedAdministrators(tf)).ids, []);
  await destroy(app, { display_name: 'app-prod' });
  await destroy(securityTooling);
  await destroy(logArchive, { display_name: 'log-archive' });
  await destroy(production);
  await destroy(workloads);
  await destroy(security);

  // The directory is empty but for its Root and the management account, then goes.
  assert.deepEqual((await tf.call(RM20, 'ListAccounts')).Accounts.Account.map((a: any) => a.AccountId), [KEYS.other.accountId]);
  assert.deepEqual((await tf.call(RM20, 'ListFoldersForParent', { ParentFolderId: root })).Folders.Folder, []);
  assert.deepEqual((await cp.policies({})).ids, ['cp-FullAliyunAccess']);
  assert.deepEqual((await tf.call(RM20, 'ListTrustedServiceStatus')).EnabledServicePrincipals.EnabledServicePrincipal, []);
  await destroy(rd);
  await assert.rejects(tf.call(RM20, 'GetResourceDirectory'), code('ResourceDirectoryNotInUse'));
});
