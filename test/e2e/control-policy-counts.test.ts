import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { openApiClient, type Call } from '../helpers/clients.js';
import { KEYS } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A policy's attachment count is kept beside the attachments (migration 26), so every path that
 * adds or removes attachments must keep it: each step below checks GetControlPolicy's and
 * ListControlPolicies' AttachmentCount, and ListTargetAttachmentsForControlPolicy's TotalCount,
 * against the targets the list pages through (read from the attachments themselves) and the
 * number the step must leave.
 */
let server: TestServer;
let admin: AdminClient;
let rd: Call;
let bare: Call;
let root: string;
before(async () => {
  server = await startTestServer();
  admin = adminClient(server.url);
  rd = openApiClient(server.url);
  bare = openApiClient(server.url, KEYS.bare);
  root = (await rd('GetResourceDirectory')).ResourceDirectory.RootFolderId;
});
after(() => server.stop());

const SYSTEM = 'cp-FullAliyunAccess';
const DENY = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: ['ram:DeleteRole'], Resource: '*' }] });

/** Every target of the policy, two to a page: the pages read the attachments, not the count. */
async function pagedTargets(policyId: string): Promise<{ total: number; ids: string[] }> {
  const ids: string[] = [];
  let total = -1;
  for (let page = 1; ; page++) {
    const answer = await rd('ListTargetAttachmentsForControlPolicy', { PolicyId: policyId, PageSize: 2, PageNumber: page });
    total = answer.TotalCount;
    const rows = answer.TargetAttachments.TargetAttachment as Array<{ TargetId: string }>;
    ids.push(...rows.map((r) => r.TargetId));
    if (rows.length < 2) return { total, ids };
  }
}

/** The policy's counts as each answer shows them, and the targets its pages list. */
async function assertCount(policyId: string, expected: number, step: string) {
  const got = Number((await rd('GetControlPolicy', { PolicyId: policyId })).ControlPolicy.AttachmentCount);
  const listed = (await rd('ListControlPolicies', { PageSize: 100 })).ControlPolicies.ControlPolicy.find((p: any) => p.PolicyId === policyId);
  const { total, ids } = await pagedTargets(policyId);
  // The pages, in order, are the one page of them all: the skip lands where the order says.
  const whole = (await rd('ListTargetAttachmentsForControlPolicy', { PolicyId: policyId, PageSize: 100 })).TargetAttachments.TargetAttachment.map((r: any) => r.TargetId);
  assert.deepEqual(ids, whole, `${step}: the pages of ${policyId}`);
  assert.equal(new Set(ids).size, ids.length, `${step}: no target twice`);
  assert.deepEqual([got, Number(listed.AttachmentCount), total, ids.length], [expected, expected, expected, expected], `${step}: ${policyId}`);
}

test('AttachmentCount and TotalCount stay exact through every path that adds or removes attachments', async () => {
  const custom = (await rd('CreateControlPolicy', { PolicyName: 'counted', PolicyDocument: DENY, EffectScope: 'RAM' })).ControlPolicy.PolicyId as string;
  const folder = (await rd('CreateFolder', { FolderName: 'counted' })).Folder.FolderId as string;
  const member = (await rd('CreateResourceAccount', { DisplayName: 'counted-member', ParentFolderId: folder })).Account.AccountId as string;
  await assertCount(SYSTEM, 0, 'disabled');
  await assertCount(custom, 0, 'created');

  // Enabling: the Root, the folder, the member and the management account.
  await rd('EnableControlPolicy');
  await assertCount(SYSTEM, 4, 'enabled');

  await rd('AttachControlPolicy', { PolicyId: custom, TargetId: folder });
  await rd('AttachControlPolicy', { PolicyId: custom, TargetId: member });
  await rd('AttachControlPolicy', { PolicyId: custom, TargetId: root });
  await assertCount(custom, 3, 'attached');
  await rd('DetachControlPolicy', { PolicyId: custom, TargetId: root });
  await assertCount(custom, 2, 'detached');
  await rd('DetachControlPolicy', { PolicyId: SYSTEM, TargetId: member });
  await assertCount(SYSTEM, 3, 'system detached');

  // New targets get the system policy.
  const later = (await rd('CreateFolder', { FolderName: 'counted-later' })).Folder.FolderId as string;
  const joined = (await rd('CreateResourceAccount', { DisplayName: 'counted-later-member', ParentFolderId: folder })).Account.AccountId as string;
  await assertCount(SYSTEM, 5, 'new folder and member');

  // Leaving targets take theirs along, custom ones too.
  await rd('AttachControlPolicy', { PolicyId: custom, TargetId: later });
  await rd('AttachControlPolicy', { PolicyId: custom, TargetId: joined });
  await assertCount(custom, 4, 'attached to the new ones');
  await rd('SetMemberDeletionPermission', { Status: 'Enabled' });
  await rd('DeleteAccount', { AccountId: joined });
  await rd('DeleteFolder', { FolderId: later });
  await assertCount(SYSTEM, 3, 'folder and member deleted');
  await assertCount(custom, 2, 'folder and member deleted');

  // An invited member joins with the system policy and leaves with its attachments.
  const h = (await rd('InviteAccountToResourceDirectory', { TargetType: 'Account', TargetEntity: KEYS.bare.accountId })).Handshake;
  await bare('AcceptHandshake', { HandshakeId: h.HandshakeId });
  await assertCount(SYSTEM, 4, 'invited member joined');
  await rd('AttachControlPolicy', { PolicyId: custom, TargetId: KEYS.bare.accountId });
  await assertCount(custom, 3, 'attached to the invited member');
  await rd('RemoveCloudAccount', { AccountId: KEYS.bare.accountId });
  await assertCount(SYSTEM, 3, 'invited member removed');
  await assertCount(custom, 2, 'invited member removed');

  // Disabling drops every attachment; enabling again attaches the system policy only.
  await rd('DisableControlPolicy');
  await assertCount(SYSTEM, 0, 'disabled again');
  await assertCount(custom, 0, 'disabled again');
  await rd('EnableControlPolicy');
  await assertCount(SYSTEM, 4, 'enabled again');
  await assertCount(custom, 0, 'enabled again');

  // A state file applied over the directory: its new folder gets the system policy, its
  // policies their targets; what is attached already stays counted once.
  const policyEntry = (name: string, targets: string[]) => ({ PolicyName: name, PolicyDocument: DENY, Targets: targets });
  await admin.post('/state', {
    Directories: [{
      MasterAccountId: KEYS.main.accountId,
      Settings: { ControlPolicyStatus: 'Enabled' },
      Folders: [{ FolderName: 'imported' }],
      ControlPolicies: [policyEntry('from-a-file', ['/', '/imported', folder])],
    }],
  });
  const imported = (await rd('ListControlPolicies', { PolicyType: 'Custom' })).ControlPolicies.ControlPolicy.find((p: any) => p.PolicyName === 'from-a-file').PolicyId as string;
  await assertCount(SYSTEM, 5, 'state applied');
  await assertCount(imported, 3, 'state applied');

  // Replacing the state lays down only the file's, counted from nothing.
  await admin.put('/state', {
    Directories: [{
      MasterAccountId: KEYS.main.accountId,
      Settings: { ControlPolicyStatus: 'Enabled' },
      Folders: [{ FolderName: 'a' }, { FolderName: 'b' }],
      ControlPolicies: [policyEntry('replaced', ['/a'])],
    }],
  });
  const replaced = (await rd('ListControlPolicies', { PolicyType: 'Custom' })).ControlPolicies.ControlPolicy[0].PolicyId as string;
  await assertCount(SYSTEM, 4, 'state replaced');
  await assertCount(replaced, 1, 'state replaced');

  // A reset leaves the bootstrap: control policies off, nothing counted.
  await admin.post('/reset');
  await assertCount(SYSTEM, 0, 'reset');
  await rd('EnableControlPolicy');
  await assertCount(SYSTEM, 2, 'enabled after the reset');
});
