import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, openApiCore, popCore, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Control policies through the official clients, at ResourceDirectoryMaster 2022-04-19
 * (openapi-core, v3) and ResourceManager 2020-03-31 (pop-core, v1, POST as Terraform sends):
 * every action, its exact answer and every error (docs/reference/control-policies.md).
 */
let server: TestServer;
let rd: Call;
let rm: Call;
let other: Call;
/** 2022-04-19 with the parameters in a form body: large documents do not fit in a query. */
let rdPost: Call;
let root: string;
before(async () => {
  server = await startTestServer();
  rd = openApiCore(server.url);
  rm = popCore(server.url, KEYS.main, 'POST', '2020-03-31');
  rdPost = popCore(server.url, KEYS.main, 'POST');
  other = openApiCore(server.url, KEYS.other);
  await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  root = (await rd('GetResourceDirectory')).ResourceDirectory.RootFolderId;
});
after(() => server.stop());

const SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const DENY = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Deny', Action: ['ram:UpdateRole', 'ram:DeleteRole'], Resource: 'acs:ram:*:*:role/ResourceDirectoryAccountAccessRole' }],
});
let serial = 0;
const create = async (call: Call = rd, extra: Record<string, string> = {}) =>
  (await call('CreateControlPolicy', { PolicyName: `cp-test-${++serial}`, PolicyDocument: DENY, EffectScope: 'RAM', Description: 'deny role changes', ...extra })).ControlPolicy as Record<string, string>;
const attachments = async (targetId: string, call: Call = rd) =>
  (await call('ListControlPolicyAttachmentsForTarget', { TargetId: targetId })).ControlPolicyAttachments.ControlPolicyAttachment as Array<Record<string, string>>;
const policyIds = async (targetId: string) => (await attachments(targetId)).map((a) => a.PolicyId);
const enable = async (call: Call = rd) => call('EnableControlPolicy');
const disable = async (call: Call = rd) => call('DisableControlPolicy');

describe('the switch and the system policy', () => {
  test('enable attaches cp-FullAliyunAccess to the Root, every folder and member; new ones get it; disable drops all and keeps policies', async () => {
    assert.equal((await rd('GetControlPolicyEnablementStatus')).EnablementStatus, 'Disabled');
    const folder = (await rd('CreateFolder', { FolderName: 'cp-switch' })).Folder.FolderId as string;
    const member = (await rd('CreateResourceAccount', { DisplayName: 'cp switch member', ParentFolderId: folder })).Account.AccountId as string;
    assert.deepEqual(await policyIds(folder), []);
    const custom = await create();

    const enabled = await enable();
    assert.deepEqual(Object.keys(enabled).sort(), ['EnablementStatus', 'RequestId']);
    assert.equal(enabled.EnablementStatus, 'Enabled');
    assert.equal((await rm('GetControlPolicyEnablementStatus')).EnablementStatus, 'Enabled');
    for (const target of [root, folder, member, KEYS.main.accountId]) assert.deepEqual(await policyIds(target), ['cp-FullAliyunAccess'], target);
    const [system] = await attachments(root);
    assert.deepEqual(Object.keys(system!), ['AttachDate', 'Description', 'EffectScope', 'PolicyId', 'PolicyName', 'PolicyType']);
    assert.match(system!.AttachDate!, SECONDS);
    assert.deepEqual({ ...system, AttachDate: '' }, {
      AttachDate: '', Description: '默认的系统访问控制策略,允许所有操作。', EffectScope: 'All', PolicyId: 'cp-FullAliyunAccess', PolicyName: 'FullAliyunAccess', PolicyType: 'System',
    });
    assert.equal((await rd('ListControlPolicyAttachmentsForTarget', { TargetId: root, Language: 'en' })).ControlPolicyAttachments.ControlPolicyAttachment[0].Description,
      'The default system access control policy, which allows all operations.');

    // New targets while enabled.
    const later = (await rm('CreateFolder', { FolderName: 'cp-later', ParentFolderId: folder })).Folder.FolderId as string;
    const joined = (await rm('CreateResourceAccount', { DisplayName: 'cp later member', ParentFolderId: later })).Account.AccountId as string;
    assert.deepEqual(await policyIds(later), ['cp-FullAliyunAccess']);
    assert.deepEqual(await policyIds(joined), ['cp-FullAliyunAccess']);

    // A deleted folder or member takes its attachments along.
    const count = async () => Number((await rd('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).ControlPolicy.AttachmentCount);
    const before = await count();
    await rd('SetMemberDeletionPermission', { Status: 'Enabled' });
    await rd('DeleteAccount', { AccountId: joined });
    await rd('DeleteFolder', { FolderId: later });
    assert.equal(await count(), before - 2);
    const targets = await rd('ListTargetAttachmentsForControlPolicy', { PolicyId: 'cp-FullAliyunAccess', PageSize: 100 });
    assert.equal(targets.TotalCount, before - 2);
    assert.ok(!targets.TargetAttachments.TargetAttachment.some((t: any) => t.TargetId === joined || t.TargetId === later));

    await rd('AttachControlPolicy', { PolicyId: custom.PolicyId!, TargetId: folder });
    assert.equal((await disable()).EnablementStatus, 'Disabled');
    for (const target of [root, folder, member]) assert.deepEqual(await policyIds(target), [], target);
    assert.equal((await rd('GetControlPolicy', { PolicyId: custom.PolicyId! })).ControlPolicy.AttachmentCount, '0');
    // Re-enabling attaches the system policy only.
    await enable();
    assert.deepEqual(await policyIds(folder), ['cp-FullAliyunAccess']);
    await disable();
    await rd('DeleteControlPolicy', { PolicyId: custom.PolicyId! });
  });
});

describe('create, read, update, delete, list', () => {
  test('exact answers at both versions: dates to the second, AttachmentCount a string, no document in Create', async () => {
    for (const call of [rd, rm]) {
      const made = await create(call);
      assert.deepEqual(Object.keys(made), ['AttachmentCount', 'CreateDate', 'Description', 'EffectScope', 'PolicyId', 'PolicyName', 'PolicyType', 'UpdateDate']);
      assert.match(made.PolicyId!, /^cp-[A-Za-z0-9]{16}$/);
      assert.match(made.CreateDate!, SECONDS);
      assert.equal(made.UpdateDate, made.CreateDate);
      assert.deepEqual([made.AttachmentCount, made.EffectScope, made.PolicyType, made.Description], ['0', 'RAM', 'Custom', 'deny role changes']);
      const got = (await call('GetControlPolicy', { PolicyId: made.PolicyId! })).ControlPolicy;
      assert.deepEqual(got, { ...made, PolicyDocument: DENY, PolicyId: made.PolicyId, PolicyName: made.PolicyName, PolicyType: 'Custom', UpdateDate: made.UpdateDate });
      assert.deepEqual(Object.keys(got), ['AttachmentCount', 'CreateDate', 'Description', 'EffectScope', 'PolicyDocument', 'PolicyId', 'PolicyName', 'PolicyType', 'UpdateDate']);
      const allow = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', NotAction: 'ecs:*', Resource: '*' }] });
      const updated = (await call('UpdateControlPolicy', { PolicyId: made.PolicyId!, NewPolicyName: `${made.PolicyName}-new`, NewPolicyDocument: allow, NewDescription: 'changed' })).ControlPolicy;
      assert.deepEqual({ ...updated, UpdateDate: '' }, { ...made, PolicyName: `${made.PolicyName}-new`, Description: 'changed', UpdateDate: '' });
      assert.equal((await call('GetControlPolicy', { PolicyId: made.PolicyId! })).ControlPolicy.PolicyDocument, allow);
      // Only what is given changes.
      await call('UpdateControlPolicy', { PolicyId: made.PolicyId!, NewDescription: 'again' });
      assert.deepEqual(
        Object.values((await call('GetControlPolicy', { PolicyId: made.PolicyId! })).ControlPolicy).slice(2, 6),
        ['again', 'RAM', allow, made.PolicyId],
      );
      assert.deepEqual(Object.keys(await call('DeleteControlPolicy', { PolicyId: made.PolicyId! })), ['RequestId']);
      await assertFailure(call('GetControlPolicy', { PolicyId: made.PolicyId! }), 404, 'EntityNotExists.ControlPolicy', 'The control policy does not exist.');
    }
  });

  test('the system policy: read, listed first, PolicyType and Language filters, never changed', async () => {
    const sys = (await rm('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess', Language: 'ja' })).ControlPolicy;
    assert.equal(sys.PolicyDocument, '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');
    assert.deepEqual([sys.PolicyName, sys.PolicyType, sys.EffectScope, sys.Description], ['FullAliyunAccess', 'System', 'All', 'すべての操作を許可するデフォルトのシステムアクセス制御ポリシーです。']);
    await assertFailure(rd('UpdateControlPolicy', { PolicyId: 'cp-FullAliyunAccess', NewDescription: 'x' }), 409, 'NoPermission.SystemPolicy', 'A system control policy cannot be modified or deleted.');
    await assertFailure(rm('DeleteControlPolicy', { PolicyId: 'cp-FullAliyunAccess' }), 409, 'NoPermission.SystemPolicy', 'A system control policy cannot be modified or deleted.');
    await assertFailure(rd('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess', Language: 'fr' }), 400, 'InvalidParameter.Language', 'The Language is invalid.');

    const a = await create();
    const b = await create(rd, { 'Tag.1.Key': 'team', 'Tag.1.Value': 'sec' });
    const all = await rd('ListControlPolicies', { PageSize: 2 });
    assert.deepEqual([all.TotalCount, all.PageNumber, all.PageSize], [3, 1, 2]);
    assert.deepEqual(all.ControlPolicies.ControlPolicy.map((p: any) => p.PolicyId), ['cp-FullAliyunAccess', a.PolicyId]);
    assert.deepEqual(all.ControlPolicies.ControlPolicy[1].Tags, { Tag: [] });
    const second = await rd('ListControlPolicies', { PageSize: 2, PageNumber: 2 });
    assert.deepEqual(second.ControlPolicies.ControlPolicy.map((p: any) => [p.PolicyId, p.Tags]), [[b.PolicyId, { Tag: [{ Key: 'team', Value: 'sec' }] }]]);
    // 2020-03-31 items carry no tags; PolicyType filters.
    const custom = await rm('ListControlPolicies', { PolicyType: 'Custom' });
    assert.deepEqual(custom.ControlPolicies.ControlPolicy.map((p: any) => p.PolicyId), [a.PolicyId, b.PolicyId]);
    assert.equal('Tags' in custom.ControlPolicies.ControlPolicy[0], false);
    assert.deepEqual((await rm('ListControlPolicies', { PolicyType: 'System', Language: 'en' })).ControlPolicies.ControlPolicy.map((p: any) => [p.PolicyId, p.Description]), [
      ['cp-FullAliyunAccess', 'The default system access control policy, which allows all operations.'],
    ]);
    await assertFailure(rd('ListControlPolicies', { PolicyType: 'Other' }), 400, 'InvalidParameter.PolicyType', 'The PolicyType is invalid.');
    // A tag filter: only custom policies carrying every tag.
    const tagged = await rd('ListControlPolicies', { 'Tag.1.Key': 'team', 'Tag.1.Value': 'sec' });
    assert.deepEqual([tagged.TotalCount, tagged.ControlPolicies.ControlPolicy.map((p: any) => p.PolicyId)], [1, [b.PolicyId]]);
    assert.equal((await rd('ListControlPolicies', { 'Tag.1.Key': 'team', 'Tag.1.Value': 'other' })).TotalCount, 0);
    // Tags through TagResources, Terraform's way.
    await rd('TagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': a.PolicyId!, 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });
    assert.deepEqual((await rd('ListTagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': a.PolicyId! })).TagResources, [
      { ResourceId: a.PolicyId, ResourceType: 'ControlPolicy', TagKey: 'env', TagValue: 'prod' },
    ]);
    await rd('UntagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': a.PolicyId!, 'TagKey.1': 'env' });
    assert.deepEqual((await rd('ListTagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': a.PolicyId! })).TagResources, []);
    await assertFailure(rd('TagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': 'cp-FullAliyunAccess', 'Tag.1.Key': 'k' }), 404, 'EntityNotExists.ControlPolicy', 'The control policy does not exist.');
    await rd('DeleteControlPolicy', { PolicyId: a.PolicyId! });
    await rd('DeleteControlPolicy', { PolicyId: b.PolicyId! });
    // A deleted policy's tags went with it.
    assert.deepEqual((await rd('ListTagResources', { ResourceType: 'ControlPolicy' })).TagResources, []);
  });

  test('names, descriptions, scope: the documented and rdmc errors', async () => {
    const bad = (params: Record<string, string>) => rd('CreateControlPolicy', { PolicyName: 'ok-name', PolicyDocument: DENY, EffectScope: 'RAM', ...params });
    await assertFailure(rd('CreateControlPolicy', { PolicyDocument: DENY, EffectScope: 'RAM' }), 400, 'MissingParameter.PolicyName', 'You must specify PolicyName.');
    await assertFailure(rd('CreateControlPolicy', { PolicyName: 'x', EffectScope: 'RAM' }), 400, 'MissingParameter.PolicyDocument', 'You must specify PolicyDocument.');
    await assertFailure(rd('CreateControlPolicy', { PolicyName: 'x', PolicyDocument: DENY }), 400, 'MissingParameter.EffectScope', 'You must specify EffectScope.');
    for (const name of ['1starts-with-digit', 'has_underscore', 'a'.repeat(129), 'space name']) {
      await assertFailure(bad({ PolicyName: name }), 400, 'InvalidParameter.PolicyName', 'The PolicyName is invalid.');
    }
    await assertFailure(bad({ EffectScope: 'All' }), 400, 'InvalidParameter.EffectScope', 'The EffectScope is invalid.');
    await assertFailure(bad({ Description: 'd'.repeat(1025) }), 400, 'InvalidParameter.Description', 'The Description is invalid.');
    const first = await create(rd, { PolicyName: `P${'a'.repeat(127)}` });
    await assertFailure(bad({ PolicyName: first.PolicyName! }), 409, 'EntityAlreadyExists.ControlPolicy', 'A control policy with the same name already exists in the resource directory.');
    const second = await create();
    await assertFailure(rd('UpdateControlPolicy', { PolicyId: second.PolicyId!, NewPolicyName: first.PolicyName! }), 409, 'EntityAlreadyExists.ControlPolicy', 'A control policy with the same name already exists in the resource directory.');
    await assertFailure(rd('UpdateControlPolicy', { PolicyId: second.PolicyId!, NewPolicyName: '-x' }), 400, 'InvalidParameter.NewPolicyName', 'The NewPolicyName is invalid.');
    await assertFailure(rd('UpdateControlPolicy', { PolicyId: 'cp-0000000000000000', NewDescription: 'x' }), 404, 'EntityNotExists.ControlPolicy', 'The control policy does not exist.');
    // Its own name is no clash.
    await rd('UpdateControlPolicy', { PolicyId: second.PolicyId!, NewPolicyName: second.PolicyName! });
    for (const p of [first, second]) await rd('DeleteControlPolicy', { PolicyId: p.PolicyId! });
  });

  test('1,500 custom policies per directory', async () => {
    const now = Date.now();
    await server.store.transaction({ nothing: 'test set-up' }, async (tx) => {
      const directory = (await tx.directories.byMasterAccount(KEYS.main.accountId))!;
      for (let i = 0; i < 1499; i++) {
        await tx.controlPolicies.insert({ id: `cp-quota${String(i).padStart(11, '0')}`, directoryId: directory.id, name: `quota-${i}`, description: '', effectScope: 'RAM', document: DENY, createTime: now, updateTime: now });
      }
    });
    const last = await create();
    await assertFailure(create(), 409, 'QuotaExceeded.ControlPolicy', 'The maximum number of custom control policies in a resource directory (1500) is exceeded.');
    assert.equal((await rd('ListControlPolicies', { PolicyType: 'Custom' })).TotalCount, 1500);
    // The other tenant has its own quota.
    await other('DeleteControlPolicy', { PolicyId: (await create(other)).PolicyId! });
    await rd('DeleteControlPolicy', { PolicyId: last.PolicyId! });
    await server.store.transaction({ nothing: 'test clean-up' }, async (tx) => {
      const directory = (await tx.directories.byMasterAccount(KEYS.main.accountId))!;
      for (let i = 0; i < 1499; i++) await tx.controlPolicies.delete(directory.id, `cp-quota${String(i).padStart(11, '0')}`);
    });
  });
});

describe('policy documents', () => {
  const doc = (statement: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: '1', Statement: [statement], ...extra });
  const invalid = (reason: string, name = 'PolicyDocument') => [400, `InvalidParameter.${name}`, `The ${name} is invalid: ${reason}.`] as const;

  test('every documented operator, Action or NotAction, wildcards; documents in the wild', async () => {
    const operators = [
      'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
      'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
      'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
      'Bool', 'IpAddress', 'NotIpAddress',
    ];
    const condition = Object.fromEntries(operators.map((op, i) => [op, { [`acs:Key${i}`]: ['v1', 'v2'] }]));
    const documents = [
      doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: condition }),
      doc({ Effect: 'Deny', NotAction: ['ecs:Describe*', 'ecs:?etInstance'], Resource: ['acs:ecs:*:*:instance/*'] }),
      doc({ Effect: 'Deny', Action: ['log:DeleteProject', 'log:DeleteLogStore'], Resource: ['acs:log:*:*:project/archive', 'acs:log:*:*:project/archive/*'] }),
      doc({ Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: { StringNotEquals: { 'ecs:Region': ['cn-hangzhou', 'cn-shanghai'] }, Bool: { 'acs:MFAPresent': true } } }),
      // JSON whitespace (tab, CR, LF) is the document's own.
      `{\n\t"Version": "1",\r\n\t"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]\n}`,
    ];
    for (const text of documents) {
      const p = await create(rd, { PolicyDocument: text });
      assert.equal((await rd('GetControlPolicy', { PolicyId: p.PolicyId! })).ControlPolicy.PolicyDocument, text);
      await rd('DeleteControlPolicy', { PolicyId: p.PolicyId! });
    }
  });

  test('faults: each refused with its code, before anything is stored', async () => {
    const faults: Array<[string, readonly [number, string, string]]> = [
      ['not json', invalid('the document is not JSON')],
      ['[]', invalid('the document must be a JSON object')],
      [JSON.stringify({ Version: '2', Statement: [] }), invalid('Version must be "1"')],
      [JSON.stringify({ Version: '1', Statement: [] }), invalid('Statement must be a non-empty array')],
      [doc({ Effect: 'Deny', Action: '*', Resource: '*' }, { Id: 'x' }), invalid('the document has the unknown element "Id"')],
      [doc({ Effect: 'Deny', Action: '*', Resource: '*', Principal: '*' }), invalid('Statement[0] has the unknown element "Principal"')],
      [doc({ Effect: 'deny', Action: '*', Resource: '*' }), invalid('Statement[0].Effect must be "Allow" or "Deny"')],
      [doc({ Effect: 'Deny', Resource: '*' }), invalid('Statement[0] must have exactly one of Action and NotAction')],
      [doc({ Effect: 'Deny', Action: '*', NotAction: '*', Resource: '*' }), invalid('Statement[0] must have exactly one of Action and NotAction')],
      [doc({ Effect: 'Deny', Action: '*' }), invalid('Statement[0] must have a Resource')],
      [doc({ Effect: 'Deny', Action: 'no-colon', Resource: '*' }), invalid('Statement[0].Action holds "no-colon", which is not a valid pattern')],
      [doc({ Effect: 'Deny', Action: '*', Resource: 'arn:aws:s3:::x' }), invalid('Statement[0].Resource holds "arn:aws:s3:::x", which is not a valid pattern')],
      [doc({ Effect: 'Deny', Action: [], Resource: '*' }), invalid('Statement[0].Action must be a string or a non-empty array of strings')],
      [doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEqualz: { k: 'v' } } }), invalid('Statement[0].Condition has the unknown operator "StringEqualz"')],
      [doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: {} } }), invalid('Statement[0].Condition.StringEquals must be a non-empty object of condition keys')],
      [doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { k: { nested: 'v' } } } }), invalid('Statement[0].Condition.StringEquals.k must be a string or a non-empty array of strings')],
      // Deep nesting within the size: refused by the grammar, not by the parser's stack.
      [`{"Version":"1","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"k":${'['.repeat(1900)}${']'.repeat(1900)}}}}]}`, invalid('Statement[0].Condition.Bool.k must hold strings only')],
    ];
    for (const [text, [status, code, message]] of faults) {
      await assertFailure(rd('CreateControlPolicy', { PolicyName: 'faulty', PolicyDocument: text, EffectScope: 'RAM' }), status, code, message);
    }
    const p = await create();
    for (const [text, [status, , ]] of faults.slice(0, 3)) {
      const [, code, message] = invalid(faults.find(([t]) => t === text)![1][2].replace('The PolicyDocument is invalid: ', '').replace(/\.$/, ''), 'NewPolicyDocument');
      await assertFailure(rd('UpdateControlPolicy', { PolicyId: p.PolicyId!, NewPolicyDocument: text }), status, code, message);
    }
    assert.equal((await rd('ListControlPolicies', { PolicyType: 'Custom' })).TotalCount, 1);

    // Sizes: 4,096 characters, counted as characters; Create answers 409, Update 400, as documented.
    const padded = (length: number, filler = 'a') => {
      const base = doc({ Effect: 'Deny', Action: '*', Resource: 'acs:oss:*:*:' });
      const pad = filler.repeat(length - [...base].length);
      return doc({ Effect: 'Deny', Action: '*', Resource: `acs:oss:*:*:${pad}` });
    };
    assert.equal([...padded(4096)].length, 4096);
    await rdPost('UpdateControlPolicy', { PolicyId: p.PolicyId!, NewPolicyDocument: padded(4096) });
    await rdPost('UpdateControlPolicy', { PolicyId: p.PolicyId!, NewPolicyDocument: padded(4096, '界') });
    await assertFailure(rdPost('UpdateControlPolicy', { PolicyId: p.PolicyId!, NewPolicyDocument: padded(4097) }), 400, 'InvalidParameter.NewPolicyDocument.Length', 'Unable to save your policy. A policy contains a maximum of 4096 characters.');
    await assertFailure(create(rdPost, { PolicyDocument: padded(4097) }), 409, 'InvalidParameter.PolicyDocument.Length', 'The maximum length of the policy document is exceeded. It must not exceed 4096 characters.');
    // 10,000 statements, a deep and a huge document: refused by the size, at once.
    const many = JSON.stringify({ Version: '1', Statement: Array.from({ length: 10_000 }, () => ({ Effect: 'Deny', Action: '*', Resource: '*' })) });
    for (const text of [many, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'x'.repeat(500_000)]) {
      await assertFailure(create(rdPost, { PolicyDocument: text }), 409, 'InvalidParameter.PolicyDocument.Length', 'The maximum length of the policy document is exceeded. It must not exceed 4096 characters.');
    }
    await rd('DeleteControlPolicy', { PolicyId: p.PolicyId! });
  });
});

describe('attachments', () => {
  test('attach and detach: enabled only, once, 10 custom per target, never the last; delete while attached; both lists', async () => {
    const folder = (await rd('CreateFolder', { FolderName: 'cp-attach' })).Folder.FolderId as string;
    const member = (await rd('CreateResourceAccount', { DisplayName: 'cp attach member', ParentFolderId: folder })).Account.AccountId as string;
    const p = await create();
    await assertFailure(rd('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: folder }), 409, 'InvalidControlPolicyEnablementStatus', 'The control policy enablement status is not valid to perform this operation.');
    await enable();
    assert.deepEqual(Object.keys(await rm('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: folder })), ['RequestId']);
    // Visible at once, as Terraform's poll wants it.
    const listed = await attachments(folder, rm);
    assert.deepEqual(listed.map((a) => [a.PolicyId, a.PolicyType, a.PolicyName, a.EffectScope, a.Description]), [
      ['cp-FullAliyunAccess', 'System', 'FullAliyunAccess', 'All', '默认的系统访问控制策略,允许所有操作。'],
      [p.PolicyId, 'Custom', p.PolicyName, 'RAM', 'deny role changes'],
    ]);
    await assertFailure(rd('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: folder }), 409, 'EntityAlreadyExists.ControlPolicyAttachment', 'The control policy is already attached to the target.');
    await rd('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: member });
    await rd('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: root });
    assert.equal((await rd('GetControlPolicy', { PolicyId: p.PolicyId! })).ControlPolicy.AttachmentCount, '3');

    const targets = await rm('ListTargetAttachmentsForControlPolicy', { PolicyId: p.PolicyId!, PageSize: 2 });
    assert.deepEqual([targets.TotalCount, targets.PageNumber, targets.PageSize], [3, 1, 2]);
    const all = [...targets.TargetAttachments.TargetAttachment, ...(await rm('ListTargetAttachmentsForControlPolicy', { PolicyId: p.PolicyId!, PageSize: 2, PageNumber: 2 })).TargetAttachments.TargetAttachment];
    assert.deepEqual(all.map((t: any) => [t.TargetId, t.TargetType, t.TargetName]).sort(), [
      [folder, 'Folder', 'cp-attach'], [member, 'Account', 'cp attach member'], [root, 'Root', 'root'],
    ].sort());
    assert.deepEqual(Object.keys(all[0]), ['AttachDate', 'TargetId', 'TargetName', 'TargetType']);
    assert.match(all[0].AttachDate, SECONDS);

    await assertFailure(rd('DeleteControlPolicy', { PolicyId: p.PolicyId! }), 409, 'DeleteConflict.ControlPolicy.Attachment', 'The control policy is attached to one or more targets. Detach it from every target first.');
    // The system policy may go while a custom one stays; the last one may not.
    await rd('DetachControlPolicy', { PolicyId: 'cp-FullAliyunAccess', TargetId: member });
    await assertFailure(rd('DetachControlPolicy', { PolicyId: p.PolicyId!, TargetId: member }), 400, 'NotSupport.DetachLastControlPolicy', 'It is not detach the last control policy on the target node.');
    await assertFailure(rd('DetachControlPolicy', { PolicyId: 'cp-FullAliyunAccess', TargetId: member }), 404, 'EntityNotExists.ControlPolicyAttachment', 'The control policy is not attached to the target.');
    await rd('AttachControlPolicy', { PolicyId: 'cp-FullAliyunAccess', TargetId: member });
    for (const target of [folder, member, root]) await rm('DetachControlPolicy', { PolicyId: p.PolicyId!, TargetId: target });
    await assertFailure(rd('DetachControlPolicy', { PolicyId: 'cp-FullAliyunAccess', TargetId: root }), 400, 'NotSupport.DetachLastControlPolicy', 'It is not detach the last control policy on the target node.');

    // Ten custom policies per target; the system policy is not counted.
    const ten = [];
    for (let i = 0; i < 11; i++) ten.push(await create());
    for (const q of ten.slice(0, 10)) await rd('AttachControlPolicy', { PolicyId: q.PolicyId!, TargetId: member });
    await assertFailure(rd('AttachControlPolicy', { PolicyId: ten[10]!.PolicyId!, TargetId: member }), 409, 'LimitExceeded.ControlPolicyAttachment', 'A maximum of 10 custom control policies can be attached to a folder or member.');
    assert.equal((await attachments(member)).length, 11);
    await disable();
    for (const q of [...ten, p]) await rd('DeleteControlPolicy', { PolicyId: q.PolicyId! });
  });

  test('targets and policies that do not exist, or are another tenant\'s, answer alike', async () => {
    await enable();
    await enable(other);
    const mine = await create();
    const theirs = await create(other);
    const theirRoot = (await other('GetResourceDirectory')).ResourceDirectory.RootFolderId as string;
    const theirFolder = (await other('CreateFolder', { FolderName: 'theirs' })).Folder.FolderId as string;
    const notFound = [404, 'EntityNotExists.ControlPolicy', 'The control policy does not exist.'] as const;
    const noTarget = [404, 'EntityNotExists.Target', 'The specified target does not exist in the resource directory.'] as const;
    for (const id of [theirs.PolicyId!, 'cp-0000000000000000', 'garbage']) {
      await assertFailure(rd('GetControlPolicy', { PolicyId: id }), ...notFound);
      await assertFailure(rm('UpdateControlPolicy', { PolicyId: id, NewDescription: 'x' }), ...notFound);
      await assertFailure(rd('DeleteControlPolicy', { PolicyId: id }), ...notFound);
      await assertFailure(rd('AttachControlPolicy', { PolicyId: id, TargetId: root }), ...notFound);
      await assertFailure(rd('DetachControlPolicy', { PolicyId: id, TargetId: root }), ...notFound);
      await assertFailure(rd('ListTargetAttachmentsForControlPolicy', { PolicyId: id }), ...notFound);
      await assertFailure(rd('TagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': id, 'Tag.1.Key': 'k' }), ...notFound);
    }
    for (const target of [theirRoot, theirFolder, KEYS.other.accountId, 'fd-0000000000', '9999999999999999', 'nonsense']) {
      await assertFailure(rd('AttachControlPolicy', { PolicyId: mine.PolicyId!, TargetId: target }), ...noTarget);
      await assertFailure(rm('DetachControlPolicy', { PolicyId: 'cp-FullAliyunAccess', TargetId: target }), ...noTarget);
      await assertFailure(rd('ListControlPolicyAttachmentsForTarget', { TargetId: target }), ...noTarget);
    }
    assert.deepEqual((await rd('ListControlPolicies', { PolicyType: 'Custom' })).ControlPolicies.ControlPolicy.map((p: any) => p.PolicyId), [mine.PolicyId]);
    // Their switch and their attachments are theirs.
    assert.equal((await other('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).ControlPolicy.AttachmentCount, '3');
    await disable();
    assert.equal((await other('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).ControlPolicy.AttachmentCount, '3');
    await disable(other);
    await other('DeleteFolder', { FolderId: theirFolder });
    await other('DeleteControlPolicy', { PolicyId: theirs.PolicyId! });
    await rd('DeleteControlPolicy', { PolicyId: mine.PolicyId! });
  });

  test('a directory with custom policies is not destroyed; without, the system attachments go with it', async () => {
    const bare = openApiCore(server.url, KEYS.bare);
    await bare('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    await enable(bare);
    const p = await create(bare);
    await assertFailure(bare('DestroyResourceDirectory'), 409, 'DeleteConflict.ResourceDirectory.ControlPolicy',
      'Failed to delete the resource directory because one or more custom control policies exist. We recommend that you first delete these policies.');
    await bare('DeleteControlPolicy', { PolicyId: p.PolicyId! });
    await bare('DestroyResourceDirectory');
    await assertFailure(bare('ListControlPolicies'), 404, 'EntityNotExists.ResourceDirectory',
      'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.');
  });
});

describe('state files', () => {
  test('a file that enables control policies attaches the system policy to what it adds; one that disables them drops every attachment', async () => {
    const admin = adminClient(server.url);
    await admin.post('/state', {
      Directories: [{ MasterAccountId: KEYS.main.accountId, Settings: { ControlPolicyStatus: 'Enabled' }, Folders: [{ FolderName: 'from-file', Accounts: [{ DisplayName: 'from file member' }] }] }],
    });
    const folder = (await rd('ListFoldersForParent', { QueryKeyword: 'from-file' })).Folders.Folder[0].FolderId as string;
    const member = (await rd('ListAccountsForParent', { ParentFolderId: folder })).Accounts.Account[0].AccountId as string;
    for (const target of [root, folder, member]) assert.deepEqual(await policyIds(target), ['cp-FullAliyunAccess'], target);
    await admin.post('/state', { Directories: [{ MasterAccountId: KEYS.main.accountId, Settings: { ControlPolicyStatus: 'Disabled' } }] });
    assert.equal((await rd('GetControlPolicyEnablementStatus')).EnablementStatus, 'Disabled');
    for (const target of [root, folder, member]) assert.deepEqual(await policyIds(target), [], target);
  });

  test('an export carries the custom policies, their tags and targets; replacing the state with it restores them', async () => {
    const admin = adminClient(server.url);
    await enable();
    const folder = (await rd('CreateFolder', { FolderName: 'cp-exported' })).Folder.FolderId as string;
    const p = await create(rd, { 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' });
    await rd('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: folder });
    await rd('AttachControlPolicy', { PolicyId: p.PolicyId!, TargetId: root });
    const state = (await admin.get('/state')).State;
    const mine = state.Directories.find((d: any) => d.MasterAccountId === KEYS.main.accountId);
    assert.deepEqual(mine.ControlPolicies, [{ PolicyId: p.PolicyId, PolicyName: p.PolicyName, Description: 'deny role changes', PolicyDocument: DENY, Tags: { k: 'v' }, Targets: [folder, root] }]);
    await admin.put('/state', state);
    assert.deepEqual(await policyIds(folder), ['cp-FullAliyunAccess', p.PolicyId]);
    assert.deepEqual((await rd('ListTagResources', { ResourceType: 'ControlPolicy', 'ResourceId.1': p.PolicyId! })).TagResources.map((t: any) => t.TagKey), ['k']);
    assert.equal((await rd('GetControlPolicy', { PolicyId: p.PolicyId! })).ControlPolicy.AttachmentCount, '2');
    // Applying it again changes nothing; Targets while disabled are refused.
    await admin.post('/state', state);
    assert.equal((await rd('GetControlPolicy', { PolicyId: p.PolicyId! })).ControlPolicy.AttachmentCount, '2');
    await disable();
    const refused = await admin.post('/state', { Directories: [{ MasterAccountId: KEYS.main.accountId, ControlPolicies: [{ PolicyName: 'late', PolicyDocument: DENY, Targets: ['/'] }] }] }).catch((e: Error) => e);
    assert.match(String(refused), /InvalidState.*not enabled/);
    await rd('DeleteControlPolicy', { PolicyId: p.PolicyId! });
    await rd('DeleteFolder', { FolderId: folder });
  });
  test('an export lists every target of a policy attached to more than one page of them (250), in attachment order', async () => {
    const admin = adminClient(server.url);
    await enable();
    const names = Array.from({ length: 260 }, (_, i) => `paged member ${String(i).padStart(3, '0')}`);
    await admin.post('/state', {
      Directories: [{
        MasterAccountId: KEYS.main.accountId,
        Folders: [{ FolderName: 'cp-paged', Accounts: names.map((DisplayName) => ({ DisplayName })) }],
        ControlPolicies: [{ PolicyName: 'paged', PolicyDocument: DENY, Targets: names }],
      }],
    });
    const mine = (await admin.get('/state')).State.Directories.find((d: any) => d.MasterAccountId === KEYS.main.accountId);
    const paged = mine.ControlPolicies.find((c: any) => c.PolicyName === 'paged');
    assert.equal(paged.Targets.length, 260);
    assert.equal(new Set(paged.Targets).size, 260);
    const listed = (await rd('ListTargetAttachmentsForControlPolicy', { PolicyId: paged.PolicyId, PageSize: 100, PageNumber: 3 })).TargetAttachments.TargetAttachment;
    assert.deepEqual(listed.map((t: any) => t.TargetId), paged.Targets.slice(200));
    await admin.put('/state', { Directories: [{ MasterAccountId: KEYS.main.accountId }] });
  });
  test("a custom policy cannot take the system policy's ID (cp- and 16 letters, as custom IDs are)", async () => {
    const admin = adminClient(server.url);
    const before = (await rd('ListControlPolicies', { PolicyType: 'Custom' })).TotalCount;
    const refused = await admin.post('/state', { Directories: [{ MasterAccountId: KEYS.main.accountId, ControlPolicies: [{ PolicyId: 'cp-FullAliyunAccess', PolicyName: 'impostor', PolicyDocument: DENY }] }] }).catch((e: Error) => e);
    assert.match(String(refused), /InvalidBody.*PolicyId: is the system policy's ID/);
    assert.equal((await rd('ListControlPolicies', { PolicyType: 'Custom' })).TotalCount, before);
    assert.equal((await rd('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).ControlPolicy.PolicyType, 'System');
  });
});
