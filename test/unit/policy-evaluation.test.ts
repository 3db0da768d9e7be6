import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledPolicyCache } from '../../src/domain/compiled-policy.js';
import { requestContext } from '../../src/domain/policy-conditions.js';
import { evaluateGuardrails, evaluateSessionPolicy, type AttachedPolicy, type ChainLevel, type EvaluationRequest } from '../../src/domain/policy-evaluation.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });

const FULL: AttachedPolicy = {
  id: 'cp-FullAliyunAccess', name: 'FullAliyunAccess', type: 'System', effectScope: 'All',
  document: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
};
const custom = (id: string, document: string, effectScope: 'All' | 'RAM' = 'RAM'): AttachedPolicy => ({ id, name: `name-${id}`, type: 'Custom', effectScope, document });

const DENY_RD = custom('cp-denyrd', doc({ Effect: 'Deny', Action: 'resourcemanager:*', Resource: '*' }));
const DENY_REGION = custom('cp-region', doc({ Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: { StringNotEquals: { 'ecs:Region': ['cn-hangzhou', 'cn-shanghai'] } } }));
const PROTECT_ROLE = custom('cp-role', doc({
  Effect: 'Deny',
  Action: ['ram:UpdateRole', 'ram:DeleteRole', 'ram:AttachPolicyToRole', 'ram:DetachPolicyFromRole'],
  Resource: 'acs:ram:*:*:role/ResourceDirectoryAccountAccessRole',
}));
const ALLOW_ECS = custom('cp-ecs', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));

/** An account under folder fd-a under the Root, with the given policies per level (account first). */
function chain(account: AttachedPolicy[], folder: AttachedPolicy[], root: AttachedPolicy[]): ChainLevel[] {
  return [
    { kind: 'Account', id: '1000000000000001', name: 'dev', policies: account },
    { kind: 'Folder', id: 'fd-a', name: 'Workloads', policies: folder },
    { kind: 'Root', id: 'r-root', name: 'Root', policies: root },
  ];
}

function ask(levels: ChainLevel[], over: Partial<EvaluationRequest> = {}) {
  return evaluateGuardrails({
    chain: levels, managementAccount: false, principalType: 'RAMUser',
    action: 'ecs:DeleteInstance', resource: 'acs:ecs:cn-hangzhou:1000000000000001:instance/i-1', context: requestContext({}),
    ...over,
  });
}

test('FullAliyunAccess at every level: Allowed, one deciding Allow per level, every policy listed with its target', () => {
  const result = ask(chain([FULL], [FULL], [FULL]));
  assert.equal(result.decision, 'Allowed');
  assert.equal(result.reason, 'AllowedAtEveryLevel');
  assert.deepEqual(result.decidingStatements.map((s) => [s.policyId, s.target.id, s.index]), [
    ['cp-FullAliyunAccess', '1000000000000001', 0], ['cp-FullAliyunAccess', 'fd-a', 0], ['cp-FullAliyunAccess', 'r-root', 0],
  ]);
  assert.deepEqual(result.decidingStatements[0]!.statement, { Effect: 'Allow', Action: ['*'], Resource: ['*'] });
  assert.deepEqual(result.policies.map((p) => [p.policyId, p.target.kind, p.applies, p.effect, p.matchedStatements]), [
    ['cp-FullAliyunAccess', 'Account', true, 'Allow', [0]], ['cp-FullAliyunAccess', 'Folder', true, 'Allow', [0]], ['cp-FullAliyunAccess', 'Root', true, 'Allow', [0]],
  ]);
  assert.equal(result.deniedAt, null);
});

test('a Deny on resourcemanager:* attached to a folder denies its accounts explicitly, naming the folder and the statement', () => {
  const result = ask(chain([FULL], [FULL, DENY_RD], [FULL]), { action: 'ResourceManager:ListAccounts', resource: '*' });
  assert.equal(result.decision, 'ExplicitDeny');
  assert.equal(result.reason, 'ExplicitDeny');
  assert.equal(result.decidingStatements.length, 1);
  const [deny] = result.decidingStatements;
  assert.deepEqual(deny, {
    policyId: 'cp-denyrd', policyName: 'name-cp-denyrd', target: { kind: 'Folder', id: 'fd-a', name: 'Workloads' }, index: 0,
    statement: { Effect: 'Deny', Action: ['resourcemanager:*'], Resource: ['*'] },
  });
  assert.equal(result.policies.find((p) => p.policyId === 'cp-denyrd')!.effect, 'Deny');
  // Another service's action passes the same chain.
  assert.equal(ask(chain([FULL], [FULL, DENY_RD], [FULL]), { action: 'ecs:DescribeInstances' }).decision, 'Allowed');
});

test('Deny wins over an Allow in the same policy and over Allows at every level', () => {
  const both = custom('cp-both', doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'ecs:DeleteInstance', Resource: '*' }));
  const result = ask(chain([both], [FULL], [FULL]));
  assert.equal(result.decision, 'ExplicitDeny');
  assert.deepEqual(result.policies[0]!.matchedStatements, [0, 1]);
  assert.equal(result.policies[0]!.effect, 'Deny');
  assert.deepEqual(result.decidingStatements.map((s) => s.index), [1]);
});

test('every matching Deny decides, from the account up', () => {
  const result = ask(chain([FULL, DENY_REGION], [FULL], [FULL, custom('cp-nodelete', doc({ Effect: 'Deny', Action: 'ecs:Delete*', Resource: '*' }))]));
  assert.equal(result.decision, 'ExplicitDeny');
  assert.deepEqual(result.decidingStatements.map((s) => [s.policyId, s.target.kind]), [['cp-region', 'Account'], ['cp-nodelete', 'Root']]);
});

test('an Allow must exist at every level: a folder holding only a narrower Allow denies other actions implicitly there', () => {
  const levels = chain([FULL], [ALLOW_ECS], [FULL]);
  assert.equal(ask(levels).decision, 'Allowed');
  const result = ask(levels, { action: 'oss:DeleteBucket', resource: 'acs:oss:*:*:bucket' });
  assert.equal(result.decision, 'ImplicitDeny');
  assert.equal(result.reason, 'NoAllowAtLevel');
  assert.deepEqual(result.deniedAt, { kind: 'Folder', id: 'fd-a', name: 'Workloads' });
  assert.deepEqual(result.decidingStatements, []);
  assert.deepEqual(result.levels.map((l) => [l.target.kind, l.restricts, l.allowedBy?.policyId ?? null]), [
    ['Account', true, 'cp-FullAliyunAccess'], ['Folder', true, null], ['Root', true, 'cp-FullAliyunAccess'],
  ]);
});

test('the implicit deny names the first level without an Allow from the account up', () => {
  const result = ask(chain([ALLOW_ECS], [ALLOW_ECS], [FULL]), { action: 'oss:GetObject' });
  assert.deepEqual(result.deniedAt, { kind: 'Account', id: '1000000000000001', name: 'dev' });
});

test('EffectScope: RAM-scoped policies do not restrict the root identity; All-scoped ones do', () => {
  const levels = chain([FULL], [FULL, DENY_RD], [FULL]);
  const root = ask(levels, { principalType: 'Account', action: 'resourcemanager:DeleteFolder', resource: '*' });
  assert.equal(root.decision, 'Allowed');
  assert.deepEqual(root.policies.map((p) => [p.policyId, p.applies, p.effect]), [
    ['cp-FullAliyunAccess', true, 'Allow'], ['cp-FullAliyunAccess', true, 'Allow'], ['cp-denyrd', false, 'None'], ['cp-FullAliyunAccess', true, 'Allow'],
  ]);
  for (const principalType of ['RAMUser', 'AssumedRoleUser'] as const) {
    assert.equal(ask(levels, { principalType, action: 'resourcemanager:DeleteFolder', resource: '*' }).decision, 'ExplicitDeny', principalType);
  }
  const allScoped = custom('cp-all', doc({ Effect: 'Deny', Action: 'resourcemanager:*', Resource: '*' }), 'All');
  assert.equal(ask(chain([FULL], [FULL, allScoped], [FULL]), { principalType: 'Account', action: 'resourcemanager:DeleteFolder' }).decision, 'ExplicitDeny');
});

test('a level where nothing applies to the principal restricts nothing (a RAM-only Allow cannot lock out the root identity)', () => {
  const levels = chain([FULL], [ALLOW_ECS], [FULL]);
  const root = ask(levels, { principalType: 'Account', action: 'oss:DeleteBucket' });
  assert.equal(root.decision, 'Allowed');
  assert.deepEqual(root.levels.map((l) => l.restricts), [true, false, true]);
  assert.equal(root.decidingStatements.length, 2);
  assert.equal(ask(levels, { principalType: 'RAMUser', action: 'oss:DeleteBucket' }).decision, 'ImplicitDeny');
});

test('no policy anywhere (the feature off): Allowed, reason NoControlPolicy', () => {
  const result = ask(chain([], [], []));
  assert.equal(result.decision, 'Allowed');
  assert.equal(result.reason, 'NoControlPolicy');
  assert.deepEqual(result.decidingStatements, []);
});

test('the management account is never restricted, though the policies that would match are reported', () => {
  const result = ask(chain([FULL], [FULL, DENY_RD], [FULL]), { managementAccount: true, action: 'resourcemanager:CreateFolder' });
  assert.equal(result.decision, 'Allowed');
  assert.equal(result.reason, 'ManagementAccount');
  assert.equal(result.policies.find((p) => p.policyId === 'cp-denyrd')!.effect, 'Deny');
  assert.deepEqual(result.decidingStatements, []);
});

test('actions are case-insensitive with * and ?; NotAction covers every other action', () => {
  const levels = (p: AttachedPolicy) => chain([FULL], [FULL, p], [FULL]);
  const q = custom('cp-q', doc({ Effect: 'Deny', Action: 'ECS:?eleteInst*', Resource: '*' }));
  assert.equal(ask(levels(q), { action: 'ecs:deleteinstance' }).decision, 'ExplicitDeny');
  assert.equal(ask(levels(q), { action: 'ecs:DeleteImage' }).decision, 'Allowed');
  const onlyEcs = custom('cp-not', doc({ Effect: 'Deny', NotAction: ['ecs:*', 'vpc:Describe*'], Resource: '*' }));
  assert.equal(ask(levels(onlyEcs), { action: 'oss:PutObject' }).decision, 'ExplicitDeny');
  assert.equal(ask(levels(onlyEcs), { action: 'ECS:RunInstances' }).decision, 'Allowed');
  assert.equal(ask(levels(onlyEcs), { action: 'vpc:DescribeVpcs' }).decision, 'Allowed');
  assert.equal(ask(levels(onlyEcs), { action: 'vpc:CreateVpc' }).decision, 'ExplicitDeny');
  const notAllow = custom('cp-notallow', doc({ Effect: 'Allow', NotAction: 'ram:*', Resource: '*' }));
  assert.equal(ask(chain([FULL], [notAllow], [FULL]), { action: 'ram:CreateUser' }).decision, 'ImplicitDeny');
  assert.equal(ask(chain([FULL], [notAllow], [FULL]), { action: 'ecs:CreateInstance' }).decision, 'Allowed');
});

test('resources: the documented role-protection guardrail denies only that role, case-sensitively', () => {
  const levels = chain([FULL], [FULL, PROTECT_ROLE], [FULL]);
  const role = (name: string) => `acs:ram:*:1000000000000001:role/${name}`;
  assert.equal(ask(levels, { action: 'ram:DeleteRole', resource: role('ResourceDirectoryAccountAccessRole') }).decision, 'ExplicitDeny');
  assert.equal(ask(levels, { action: 'ram:DeleteRole', resource: role('AppRole') }).decision, 'Allowed');
  assert.equal(ask(levels, { action: 'ram:DeleteRole', resource: role('resourcedirectoryaccountaccessrole') }).decision, 'Allowed');
  assert.equal(ask(levels, { action: 'ram:CreateRole', resource: role('ResourceDirectoryAccountAccessRole') }).decision, 'Allowed');
});

test('the region guardrail: a Deny with StringNotEquals holds outside the listed regions and when the key is missing', () => {
  const levels = chain([FULL], [FULL, DENY_REGION], [FULL]);
  assert.equal(ask(levels, { context: requestContext({ 'ecs:Region': 'cn-hangzhou' }) }).decision, 'Allowed');
  assert.equal(ask(levels, { context: requestContext({ 'ecs:Region': 'us-west-1' }) }).decision, 'ExplicitDeny');
  assert.equal(ask(levels, { context: requestContext({}) }).decision, 'ExplicitDeny');
  const ifExists = custom('cp-ifexists', doc({ Effect: 'Deny', Action: 'ecs:*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'ecs:Region': 'cn-hangzhou' } } }));
  assert.equal(ask(chain([FULL], [FULL, ifExists], [FULL]), { context: requestContext({}) }).decision, 'ExplicitDeny', 'IfExists holds without the key: the Deny applies');
});

test('a statement matches only when all its conditions hold: operators AND, keys AND, values OR', () => {
  const p = custom('cp-and', doc({
    Effect: 'Deny', Action: '*', Resource: '*',
    Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] }, Bool: { 'acs:SecureTransport': 'false' }, StringEquals: { 'acs:a': 'x', 'acs:b': 'y' } },
  }));
  const levels = chain([FULL], [FULL, p], [FULL]);
  const at = (context: Record<string, string>) => ask(levels, { context: requestContext(context) }).decision;
  const all = { 'acs:SourceIp': '192.168.1.1', 'acs:SecureTransport': 'false', 'acs:a': 'x', 'acs:b': 'y' };
  assert.equal(at(all), 'ExplicitDeny');
  assert.equal(at({ ...all, 'acs:SourceIp': '172.16.0.1' }), 'Allowed');
  assert.equal(at({ ...all, 'acs:SecureTransport': 'true' }), 'Allowed');
  assert.equal(at({ ...all, 'acs:b': 'z' }), 'Allowed');
});

test('an Allow with a condition that fails does not count as the level\'s Allow', () => {
  const conditional = custom('cp-cond', doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { DateLessThan: { 'acs:CurrentTime': '2026-01-01T00:00:00Z' } } }));
  const levels = chain([FULL], [conditional], [FULL]);
  assert.equal(ask(levels, { context: requestContext({ 'acs:CurrentTime': '2025-06-01T00:00:00Z' }) }).decision, 'Allowed');
  assert.equal(ask(levels, { context: requestContext({ 'acs:CurrentTime': '2026-06-01T00:00:00Z' }) }).decision, 'ImplicitDeny');
});

test('a chain five folders deep, ten policies per level: a Deny at the fourth folder is found and named', () => {
  const levels: ChainLevel[] = [{ kind: 'Account', id: 'acc', name: 'acc', policies: [FULL] }];
  for (let depth = 1; depth <= 5; depth++) levels.push({ kind: 'Folder', id: `fd-${depth}`, name: `f${depth}`, policies: [FULL] });
  levels.push({ kind: 'Root', id: 'r', name: 'Root', policies: [FULL] });
  for (const level of levels) {
    for (let i = 1; i < 10; i++) level.policies = [...level.policies, custom(`cp-${level.id}-${i}`, doc({ Effect: 'Deny', Action: `svc${i}:*`, Resource: '*' }))];
  }
  const fourth = levels[4]!;
  fourth.policies = [...fourth.policies.slice(0, 9), custom('cp-target', doc({ Effect: 'Deny', Action: 'ecs:DeleteInstance', Resource: '*' }))];
  const result = ask(levels);
  assert.equal(result.policies.length, 70);
  assert.deepEqual(result.decidingStatements.map((s) => [s.policyId, s.target.id]), [['cp-target', 'fd-4']]);
});

test('compiled documents are cached by text, bounded, least recently used first out', () => {
  const cache = new CompiledPolicyCache(2);
  const [a, b, c] = ['a', 'b', 'c'].map((s) => doc({ Effect: 'Deny', Action: `${s}:*`, Resource: '*' })) as [string, string, string];
  const first = cache.get(a);
  assert.equal(cache.get(a), first, 'the same document compiles once');
  cache.get(b);
  cache.get(a); // a is now the most recent
  cache.get(c); // b leaves
  assert.equal(cache.size, 2);
  assert.equal(cache.get(a), first);
  assert.notEqual(cache.get(b), undefined);
  assert.equal(cache.size, 2);
  assert.throws(() => cache.get('{"Version":"2"}'), { message: 'a stored policy fails the grammar: Version must be "1"' });
});

test('a session policy: an Allow that matches and no Deny; NotAction, resources and conditions as a control policy\'s; compiled once', () => {
  const cache = new CompiledPolicyCache(4);
  const rd = 'acs:resourcemanager::1000000000000000:rd/rd-abc';
  const request = (action: string, resource = rd, context = requestContext({ 'acs:SecureTransport': 'true' })) => ({ action, resource, context });
  const getOnly = doc({ Effect: 'Allow', Action: 'resourcemanager:Get*', Resource: rd });
  assert.equal(evaluateSessionPolicy(getOnly, request('ResourceManager:GetResourceDirectory'), cache), 'Allowed', 'actions are case-insensitive');
  assert.equal(evaluateSessionPolicy(getOnly, request('resourcemanager:ListAccounts'), cache), 'ImplicitDeny');
  assert.equal(evaluateSessionPolicy(getOnly, request('resourcemanager:GetResourceDirectory', 'acs:resourcemanager::1000000000000000:rd/rd-other'), cache), 'ImplicitDeny');
  const allButSts = doc({ Effect: 'Allow', NotAction: 'sts:*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'acs:SecureTransport': 'false' } } });
  assert.equal(evaluateSessionPolicy(allButSts, request('resourcemanager:CreateFolder'), cache), 'Allowed');
  assert.equal(evaluateSessionPolicy(allButSts, request('sts:AssumeRole'), cache), 'ImplicitDeny');
  assert.equal(evaluateSessionPolicy(allButSts, request('resourcemanager:CreateFolder', rd, requestContext({ 'acs:SecureTransport': 'false' })), cache), 'ExplicitDeny');
  assert.equal(cache.size, 2);
});
