import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestServer } from '../helpers/server.js';
import { controlPolicyModels } from '../helpers/terraform/control-policies.js';
import type { Provider } from '../helpers/terraform/provider.js';
import { create, destroy, importVerify, lifecycle, replace, startReplay } from '../helpers/terraform/run.js';
import { RM20 } from '../helpers/terraform/tea-rpc.js';

/**
 * alicloud_resource_manager_control_policy, _control_policy_attachment and the data sources
 * control_policies and control_policy_attachments, replayed as the provider runs them
 * (docs/reference/control-policies.md; docs/compatibility.md, "Control policies").
 */
let server: TestServer;
let tf: Provider;
let models: ReturnType<typeof controlPolicyModels>;
let root: string;
before(async () => {
  ({ server, tf } = await startReplay());
  models = controlPolicyModels(tf);
  root = (await tf.call(RM20, 'GetResourceDirectory')).ResourceDirectory.RootFolderId;
});
after(() => server.stop());

const deny = (actions: string[]) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: actions, Resource: 'acs:ram:*:*:role/ResourceDirectoryAccountAccessRole' }] });

test('control_policy: create, refresh with an empty plan, new name, document, description and tags, import, destroy twice', async () => {
  const name = 'tf-testAccControlPolicy';
  await lifecycle(models.policy, [
    { control_policy_name: name, description: 'tf-testAccControlPolicy', effect_scope: 'RAM', policy_document: deny(['ram:UpdateRole', 'ram:DeleteRole']) },
    { control_policy_name: `${name}-update`, description: 'tf-testAccControlPolicy', effect_scope: 'RAM', policy_document: deny(['ram:UpdateRole', 'ram:DeleteRole']) },
    { control_policy_name: `${name}-update`, description: 'changed', effect_scope: 'RAM', policy_document: deny(['ram:AttachPolicyToRole', 'ram:DetachPolicyFromRole']) },
    { control_policy_name: `${name}-update`, description: 'changed', effect_scope: 'RAM', policy_document: deny(['ram:AttachPolicyToRole']), tags: { Created: 'TF', For: 'Test' } },
    { control_policy_name: `${name}-update`, effect_scope: 'RAM', policy_document: deny(['ram:AttachPolicyToRole']), tags: { Created: 'TF-update' } },
  ]);
});

test('control_policy_attachment: attach while enabled (the poll sees Custom at once), refresh, import, destroy; the data sources', async () => {
  await tf.call(RM20, 'EnableControlPolicy');
  const folder = String((await tf.call(RM20, 'CreateFolder', { FolderName: 'tf-cp-folder' })).Folder.FolderId);
  const policy = await create(models.policy, { control_policy_name: 'tf-cp-attached', effect_scope: 'RAM', policy_document: deny(['ram:DeleteRole']) });
  const attachment = await create(models.attachment, { policy_id: policy.id, target_id: folder });
  assert.equal(attachment.id, `${policy.id}:${folder}`);
  await importVerify(attachment);
  // Deleting the policy first is refused; Terraform orders the attachment before it.
  await assert.rejects(models.policy.delete(policy.id, policy.config), (err: any) => err.code === 'DeleteConflict.ControlPolicy.Attachment');

  // data "alicloud_resource_manager_control_policies"
  const all = await models.policies({});
  assert.deepEqual(all.ids, ['cp-FullAliyunAccess', policy.id]);
  const custom = await models.policies({ policy_type: 'Custom', name_regex: '^tf-cp-', enable_details: true });
  assert.deepEqual(custom.policies, [{
    id: policy.id, attachment_count: '1', control_policy_id: policy.id, control_policy_name: 'tf-cp-attached', description: '',
    effect_scope: 'RAM', policy_document: deny(['ram:DeleteRole']), policy_type: 'Custom',
  }]);
  assert.deepEqual((await models.policies({ ids: ['cp-FullAliyunAccess'], language: 'en' })).policies.map((p) => [p.policy_type, p.effect_scope, p.description]), [
    ['System', 'All', 'The default system access control policy, which allows all operations.'],
  ]);
  assert.deepEqual((await models.policies({ ids: [`${policy.id}_fake`] })).ids, []);

  // data "alicloud_resource_manager_control_policy_attachments"
  const listed = await models.attachments({ target_id: folder });
  assert.deepEqual(listed.map((a) => [a.policy_id, a.policy_type]), [['cp-FullAliyunAccess', 'System'], [policy.id, 'Custom']]);
  assert.match(listed[1]!.attach_date!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual((await models.attachments({ target_id: root, policy_type: 'Custom' })), []);

  await destroy(attachment);
  await destroy(policy);
  await tf.call(RM20, 'DeleteFolder', { FolderId: folder });
  await tf.call(RM20, 'DisableControlPolicy');
});

test('many policies: the data source pages through 50 at a time', async () => {
  const made = [];
  for (let i = 0; i < 52; i++) made.push(await create(models.policy, { control_policy_name: `bulk-${i}`, effect_scope: 'RAM', policy_document: deny(['ram:DeleteRole']) }));
  assert.deepEqual((await models.policies({ name_regex: '^bulk-' })).ids.sort(), made.map((m) => m.id).sort());
  for (const m of made) await destroy(m);
});

test('a heredoc document (indented, with a trailing newline) reads back as written: the plan stays empty', async () => {
  const heredoc = `  {
    "Version": "1",
    "Statement": [
      {
        "Effect": "Deny",
        "Action": ["ram:UpdateRole", "ram:DeleteRole"],
        "Resource": "acs:ram:*:*:role/ResourceDirectoryAccountAccessRole"
      }
    ]
  }
`;
  const r = await create(models.policy, { control_policy_name: 'tf-heredoc', description: 'from the provider documentation', effect_scope: 'RAM', policy_document: heredoc });
  assert.equal(r.state.policy_document, heredoc);
  await importVerify(r);
  await destroy(r);
});

test('control_policy_attachment: a new target_id replaces it (detach from the old folder, attach to the new, the poll for Custom again)', async () => {
  await tf.call(RM20, 'EnableControlPolicy');
  const from = String((await tf.call(RM20, 'CreateFolder', { FolderName: 'tf-cp-from' })).Folder.FolderId);
  const to = String((await tf.call(RM20, 'CreateFolder', { FolderName: 'tf-cp-to' })).Folder.FolderId);
  const policy = await create(models.policy, { control_policy_name: 'tf-cp-moved', effect_scope: 'RAM', policy_document: deny(['ram:DeleteRole']) });
  const first = await create(models.attachment, { policy_id: policy.id, target_id: from });
  const moved = await replace(first, { policy_id: policy.id, target_id: to });
  assert.equal(moved.id, `${policy.id}:${to}`);
  assert.deepEqual((await models.attachments({ target_id: from })).map((a) => a.policy_id), ['cp-FullAliyunAccess']);
  assert.deepEqual((await models.attachments({ target_id: to })).map((a) => a.policy_id), ['cp-FullAliyunAccess', policy.id]);
  await importVerify(moved);
  await destroy(moved);
  await destroy(policy);
  for (const folder of [from, to]) await tf.call(RM20, 'DeleteFolder', { FolderId: folder });
  await tf.call(RM20, 'DisableControlPolicy');
});
