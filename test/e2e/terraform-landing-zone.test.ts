import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, type TestServer } from '../helpers/server.js';
import { controlPolicyModels } from '../helpers/terraform/control-policies.js';
import { delegatedAdministrator, delegatedAdministrators } from '../helpers/terraform/delegated-administrator.js';
import { handshakeAcceptanceModel, handshakeModel, handshakes } from '../helpers/terraform/handshakes.js';
import { Provider } from '../helpers/terraform/provider.js';
import { applyGraph, destroyGraph, type Graph } from '../helpers/terraform/graph.js';
import { change, create, destroy, importVerify, type Managed, refresh, startReplay } from '../helpers/terraform/run.js';
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
/** A refusal as the provider reports it: HTTP status, code and message. */
async function refused(call: Promise<unknown>, expected: [number, string, string]) {
  await assert.rejects(call, (err: unknown) => {
    assert.ok(err instanceof TeaError, String(err));
    assert.deepEqual([err.statusCode, err.code, err.data.Message], expected);
    return true;
  });
}
const attachedTo = async (target: string) =>
  ((await tf.call(RM20, 'ListControlPolicyAttachmentsForTarget', { TargetId: target })).ControlPolicyAttachments.ControlPolicyAttachment as Array<Record<string, string>>).map(
    (a) => a.PolicyId,
  );

/** `terraform plan`'s refresh, every resource at once as Terraform reads them: the state is what was read, and no plan has a diff. */
async function refreshAll(applied: Record<string, Managed>) {
  await Promise.all(Object.entries(applied).map(async ([name, r]) => (applied[name] = await refresh(r))));
}

/** One `terraform apply`, plan, second apply and `terraform destroy` of the whole landing zone. */
async function landingZone() {
  const cp = controlPolicyModels(tf);
  const delegation = delegatedAdministrator(tf);
  const handshake = handshakeModel(tf);
  const acceptance = handshakeAcceptanceModel(invitee);
  /** A retried destroy runs without force_delete's pre-check (the account is gone). */
  const destroyAccount = (r: Managed) => destroy(r, { display_name: r.config.display_name as string });
  /** A second deregistration is AccountNotRegistered: Terraform's refresh drops the gone delegation first. */
  const destroyDelegation = async (r: Managed) => {
    await r.model.delete(r.id, r.config);
    assert.equal(await r.model.read(r.id), null);
  };

  // The configuration: every reference, and the `depends_on` landing-zone code adds (the
  // switch before any attachment, deletion permission before any account).
  const graph: Graph = {
    rd: {
      apply: () => create(tf.resourceDirectory, { status: 'Enabled', member_deletion_status: 'Enabled' }),
      destroy: async (r) => {
        // Last: the directory holds nothing but its Root, the management account and the system policy.
        assert.deepEqual((await tf.call(RM20, 'ListAccounts')).Accounts.Account.map((a: any) => a.AccountId), [KEYS.other.accountId]);
        assert.deepEqual((await tf.call(RM20, 'ListFoldersForParent', { ParentFolderId: r.state.root_folder_id as string })).Folders.Folder, []);
        assert.deepEqual((await controlPolicyModels(tf).policies({})).ids, ['cp-FullAliyunAccess']);
        assert.deepEqual((await delegatedAdministrators(tf)).ids, []);
        assert.deepEqual((await tf.call(RM20, 'ListTrustedServiceStatus')).EnabledServicePrincipals.EnabledServicePrincipal, []);
        assert.deepEqual((await tf.call(RDM22, 'ListMessageContacts')).Contacts, []);
        await destroy(r);
      },
    },
    security: { after: ['rd'], apply: (a) => create(tf.folder, { folder_name: 'Security', parent_folder_id: a.rd!.state.root_folder_id as string, tags: { 'lz:layer': 'core' } }) },
    workloads: { after: ['rd'], apply: (a) => create(tf.folder, { folder_name: 'Workloads', parent_folder_id: a.rd!.state.root_folder_id as string }) },
    production: { after: ['workloads'], apply: (a) => create(tf.folder, { folder_name: 'Production', parent_folder_id: a.workloads!.id }) },
    logArchive: {
      after: ['rd', 'security'],
      apply: (a) => create(tf.account, { display_name: 'log-archive', folder_id: a.security!.id, account_name_prefix: 'log-archive', force_delete: true }),
      destroy: destroyAccount,
    },
    securityTooling: { after: ['rd', 'security'], apply: (a) => create(tf.account, { display_name: 'security-tooling', folder_id: a.security!.id, tags: { 'lz:role': 'security' } }) },
    app: {
      after: ['rd', 'production', 'logArchive'],
      apply: (a) => create(tf.account, { display_name: 'app-prod', folder_id: a.production!.id, payer_account_id: a.logArchive!.id, force_delete: true }),
      destroy: destroyAccount,
    },
    ...Object.fromEntries(
      SECURITY_SERVICES.map((principal) => [
        `delegate:${principal}`,
        { after: ['securityTooling'], apply: (a: Record<string, Managed>) => create(delegation, { account_id: a.securityTooling!.id, service_principal: principal }), destroy: destroyDelegation },
      ]),
    ),
    guardrail: {
      after: ['rd'],
      apply: () =>
        create(cp.policy, {
          control_policy_name: 'protect-actiontrail',
          description: 'Deny stopping, changing or deleting ActionTrail trails',
          effect_scope: 'RAM',
          policy_document: protectActionTrail,
          tags: { 'lz:guardrail': 'preventive' },
        }),
    },
    guardrailOnWorkloads: { after: ['rd', 'guardrail', 'workloads'], apply: (a) => create(cp.attachment, { policy_id: a.guardrail!.id, target_id: a.workloads!.id }) },
    invitation: {
      after: ['rd'],
      apply: () => create(handshake, { target_entity: KEYS.bare.accountId, target_type: 'Account', note: 'Join the landing zone' }),
      // CancelHandshake answers HandshakeStatusMismatch on an accepted invitation: the provider removes the member instead.
      destroy: async (r) => {
        await handshake.delete(r.id, r.config);
        await assert.rejects(tf.call(RM20, 'GetAccount', { AccountId: KEYS.bare.accountId }), code('EntityNotExists.Account'));
        await assert.rejects(invitee.call(RDM22, 'GetResourceDirectory'), code('ResourceDirectoryNotInUse'));
      },
    },
    acceptance: { after: ['invitation'], apply: (a) => create(acceptance, { handshake_id: a.invitation!.id }), destroy: (r) => acceptance.delete(r.id, r.config) },
    contact: {
      after: ['rd'],
      apply: () =>
        create(tf.messageContact, {
          email_address: 'secops@example.com',
          message_contact_name: 'secops',
          message_types: ['SecurityMessage', 'ServiceMessage'],
          title: 'TechnicalDirector',
        }),
    },
  };

  // --- terraform apply ---------------------------------------------------------------------
  const { applied, waves } = await applyGraph(graph);
  assert.deepEqual(waves, [
    ['rd'],
    ['security', 'workloads', 'guardrail', 'invitation', 'contact'],
    ['production', 'logArchive', 'securityTooling', 'guardrailOnWorkloads', 'acceptance'],
    ['app', ...SECURITY_SERVICES.map((p) => `delegate:${p}`)],
  ]);
  const { rd, security, workloads, production, logArchive, securityTooling, app, guardrail, invitation, contact } = applied as Record<string, Managed>;
  const root = rd!.state.root_folder_id as string;
  // The binding has no Terraform resource: the landing zone's pipeline calls AssociateMembers.
  await tf.call(RDM22, 'AssociateMembers', { ContactId: contact!.id, 'Members.1': security!.id });

  // What the apply built.
  assert.equal(rd!.state.status, 'Enabled');
  assert.deepEqual([security!.state.parent_folder_id, workloads!.state.parent_folder_id, production!.state.parent_folder_id], [root, root, workloads!.id]);
  assert.deepEqual(await attachedTo(workloads!.id), ['cp-FullAliyunAccess', guardrail!.id]);
  for (const target of [root, security!.id, production!.id, logArchive!.id, securityTooling!.id, app!.id, KEYS.bare.accountId]) {
    assert.deepEqual(await attachedTo(target), ['cp-FullAliyunAccess'], `${target} has the system policy, and only it`);
  }
  const invited = (await tf.call(RM20, 'GetAccount', { AccountId: KEYS.bare.accountId })).Account;
  assert.deepEqual([invited.Type, invited.JoinMethod, invited.FolderId], ['CloudAccount', 'invited', root]);
  assert.deepEqual(
    (await server.services.messageCenters.read(securityTooling!.id)).Contacts.map((c) => [c.ContactId, c.Source, c.Via]),
    [[contact!.id, 'Inherited', [security!.id]]],
  );
  assert.deepEqual(
    (await tf.call(RM20, 'ListDelegatedServicesForAccount', { AccountId: securityTooling!.id })).DelegatedServices.DelegatedService.map((s: any) => s.ServicePrincipal),
    [...SECURITY_SERVICES].sort(),
  );

  // --- terraform plan: every resource refreshes (in parallel, as Terraform does) to an empty diff
  await refreshAll(applied);
  // An existing landing zone adopted by `terraform import`: each resource reads back the same by its ID alone.
  await Promise.all(Object.values(applied).map(importVerify));
  // The data sources the landing-zone modules read.
  assert.equal((await tf.resourceDirectories())[0]!.status, 'Enabled');
  assert.deepEqual((await tf.folders({ name_regex: '^Production$', parent_folder_id: workloads!.id, enable_details: true })).folders, [
    { id: production!.id, folder_id: production!.id, folder_name: 'Production', parent_folder_id: workloads!.id },
  ]);
  // Display name to ID and status, as the guardrail and account-factory modules map them.
  const byName = Object.fromEntries((await tf.accounts({})).accounts.map((a) => [a.display_name, [a.id, a.status]]));
  assert.deepEqual(byName, {
    [`account-${KEYS.other.accountId}`]: [KEYS.other.accountId, 'InviteSuccess'],
    'log-archive': [logArchive!.id, 'CreateSuccess'],
    'security-tooling': [securityTooling!.id, 'CreateSuccess'],
    'app-prod': [app!.id, 'CreateSuccess'],
    [`account-${KEYS.bare.accountId}`]: [KEYS.bare.accountId, 'InviteSuccess'],
  });
  assert.deepEqual((await delegatedAdministrators(tf)).ids.sort(), SECURITY_SERVICES.map((p) => `${securityTooling!.id}:${p}`).sort());
  assert.deepEqual((await cp.policies({ policy_type: 'Custom', enable_details: true })).policies.map((p) => [p.id, p.attachment_count, p.policy_document]), [
    [guardrail!.id, '1', protectActionTrail],
  ]);
  assert.deepEqual((await cp.attachments({ target_id: workloads!.id, policy_type: 'Custom' })).map((a) => a.policy_id), [guardrail!.id]);
  assert.deepEqual((await handshakes(tf, { status: 'Accepted' })).ids, [invitation!.id]);

  // A second apply: the attached guardrail also covers the trails' delivery; the app account is renamed and tagged.
  const tightened = JSON.parse(protectActionTrail);
  tightened.Statement[0].Action.push('actiontrail:DeleteDeliveryHistory');
  applied.guardrail = await change(applied.guardrail!, { ...guardrail!.config, policy_document: JSON.stringify(tightened) });
  applied.app = await change(applied.app!, { ...app!.config, display_name: 'app-prod-1', tags: { 'lz:env': 'production' } });
  assert.deepEqual(await attachedTo(workloads!.id), ['cp-FullAliyunAccess', guardrail!.id]);
  assert.equal((await cp.policy.read(guardrail!.id))!.policy_document, JSON.stringify(tightened));

  // Out of Terraform's order, rdmc refuses what the cloud refuses, and changes nothing.
  await refused(tf.call(RM20, 'DestroyResourceDirectory'), [
    409,
    'DeleteConflict.ResourceDirectory.Account',
    'Failed to delete the resource directory because one or more member accounts exist. We recommend that you first remove these member accounts.',
  ]);
  await refused(tf.call(RM20, 'DeleteFolder', { FolderId: security!.id }), [409, 'DeleteConflict.Folder.Account', 'This folder has accounts.']);
  await refused(tf.call(RM20, 'DeleteFolder', { FolderId: workloads!.id }), [409, 'DeleteConflict.Folder.SubFolder', 'This folder has sub folders.']);
  await refused(tf.call(RM20, 'DeleteControlPolicy', { PolicyId: guardrail!.id }), [409, 'DeleteConflict.ControlPolicy.Attachment', 'The control policy is attached to one or more targets. Detach it from every target first.']);
  await refused(tf.call(RM20, 'DeleteAccount', { AccountId: securityTooling!.id }), [
    409,
    'RemoveConfilctAccountAsDelegatedAdministator',
    'You attempted to remove a member that is registered as a delegated administrator. To complete this operation, you must first deregister this account as a delegated administrator.',
  ]);
  await refused(tf.call(RM20, 'DeleteAccount', { AccountId: logArchive!.id }), [409, 'DeleteConflict.Account.Payer', 'The account pays for other member accounts. Change their payer first.']);
  await refreshAll(applied);

  // --- terraform destroy: a resource once nothing left references it --------------------------
  const destroyed = await destroyGraph(graph, applied);
  assert.deepEqual(destroyed, [
    ['app', ...SECURITY_SERVICES.map((p) => `delegate:${p}`), 'guardrailOnWorkloads', 'acceptance', 'contact'],
    ['production', 'logArchive', 'securityTooling', 'guardrail', 'invitation'],
    ['security', 'workloads'],
    ['rd'],
  ]);
  await assert.rejects(tf.call(RM20, 'GetResourceDirectory'), code('ResourceDirectoryNotInUse'));
}

test('a landing zone: applied in the graph order, refreshed with no diff, destroyed in reverse order to an empty directory', landingZone);

test('the same landing zone again after its destroy: nothing of the first directory is left to collide with', landingZone);

