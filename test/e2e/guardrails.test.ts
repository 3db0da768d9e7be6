import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { chromiumAvailable, externalRequests, launchChromium } from '../helpers/browser.js';
import { assertFailure, openApiClient } from '../helpers/clients.js';
import { KEYS, RAM_USER_KEYS } from '../helpers/keys.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';
import { client, SIGNATURES, startStsWorld } from '../helpers/sts.js';

/**
 * The guardrail simulator over the admin API, the CLI and the console, and the same decision
 * enforced on rdmc's own actions (docs/reference/guardrails.md), on control policies made,
 * attached and detached through the API as a landing zone makes them.
 */

const doc = (...statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });
const FULL = 'cp-FullAliyunAccess';
const DENY_RD_DOC = doc({ Effect: 'Deny', Action: 'resourcemanager:*', Resource: '*' });
const denied = (action: string, decision = 'ExplicitDeny') =>
  [403, 'NoPermission', `You are not authorized to do this action. A control policy of the resource directory denies ${action} (${decision}).`] as const;

/**
 * A server with one member in main's directory, control policies enabled (FullAliyunAccess
 * everywhere) and, a second later, `deny-rd` (Deny resourcemanager:*) made and attached to the Root.
 */
async function world() {
  const sts = await startStsWorld();
  const call = openApiClient(sts.server.url);
  const rd = (await call('GetResourceDirectory')).ResourceDirectory;
  await call('EnableControlPolicy');
  // A second later: attachments list in attachment order, FullAliyunAccess first.
  sts.clock.advance(1000);
  const create = async (name: string, document: string) =>
    (await call('CreateControlPolicy', { PolicyName: name, EffectScope: 'RAM', PolicyDocument: document })).ControlPolicy.PolicyId as string;
  const attach = (PolicyId: string, TargetId: string) => call('AttachControlPolicy', { PolicyId, TargetId });
  const detach = (PolicyId: string, TargetId: string) => call('DetachControlPolicy', { PolicyId, TargetId });
  const denyRd = await create('deny-rd', DENY_RD_DOC);
  await attach(denyRd, rd.RootFolderId);
  return { ...sts, call, rd, denyRd, create, attach, detach, admin: adminClient(sts.server.url) };
}

test('admin API: an account\'s effective policies level by level, and a simulated decision naming the policy, its target and the statement', async (t) => {
  const { server, member, rd, denyRd, create, attach, detach, admin } = await world();
  t.after(() => server.stop());

  const effective = await admin.get(`/accounts/${member}/control-policies`);
  assert.deepEqual(Object.keys(effective).sort(), ['AccountId', 'ControlPolicyStatus', 'Levels', 'ManagementAccount', 'RequestId', 'ResourceDirectoryId']);
  assert.deepEqual([effective.AccountId, effective.ResourceDirectoryId, effective.ManagementAccount, effective.ControlPolicyStatus], [member, rd.ResourceDirectoryId, false, 'Enabled']);
  assert.deepEqual(effective.Levels.map((l: any) => [l.TargetType, l.TargetId, l.TargetName, l.Policies.map((p: any) => p.PolicyId)]), [
    ['Account', member, 'member one', [FULL]],
    ['Root', rd.RootFolderId, 'Root', [FULL, denyRd]],
  ]);
  assert.deepEqual(effective.Levels[1].Policies[1], { PolicyId: denyRd, PolicyName: 'deny-rd', PolicyType: 'Custom', EffectScope: 'RAM', PolicyDocument: DENY_RD_DOC });
  assert.deepEqual(effective.Levels[0].Policies[0], {
    PolicyId: FULL, PolicyName: 'FullAliyunAccess', PolicyType: 'System', EffectScope: 'All', PolicyDocument: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  });

  const simulate = (body: Record<string, unknown>) => admin.raw('POST', '/guardrails/simulate', { AccountId: member, PrincipalType: 'RAMUser', Action: 'resourcemanager:CreateFolder', ...body });
  const refused = await simulate({ Resource: `acs:resourcemanager::${KEYS.main.accountId}:rd/${rd.ResourceDirectoryId}`, Context: { 'acs:SourceIp': '10.0.0.1', 'acs:TagKeys': ['a', 'b'] } });
  assert.equal(refused.status, 200);
  assert.equal(refused.body.Decision, 'ExplicitDeny');
  assert.equal(refused.body.Reason, 'ExplicitDeny');
  assert.deepEqual(refused.body.DecidingStatements, [{
    PolicyId: denyRd, PolicyName: 'deny-rd', TargetType: 'Root', TargetId: rd.RootFolderId, TargetName: 'Root', StatementIndex: 0,
    Statement: { Effect: 'Deny', Action: ['resourcemanager:*'], Resource: ['*'] },
  }]);
  assert.equal(refused.body.DeniedAt, null);
  assert.deepEqual(refused.body.Policies.map((p: any) => [p.PolicyId, p.TargetType, p.Applies, p.Effect, p.MatchedStatements]), [
    [FULL, 'Account', true, 'Allow', [0]], [FULL, 'Root', true, 'Allow', [0]], [denyRd, 'Root', true, 'Deny', [0]],
  ]);
  assert.deepEqual(refused.body.Context['acs:TagKeys'], ['a', 'b']);
  assert.match(refused.body.Context['acs:CurrentTime'], /^2030-01-01T00:00:01\.\d{3}Z$/, "the node's clock (PostgreSQL's clock correction may move it a few ms)");

  const root = await simulate({ PrincipalType: 'Account' });
  assert.deepEqual([root.body.Decision, root.body.Reason, root.body.Resource], ['Allowed', 'AllowedAtEveryLevel', '*']);
  assert.deepEqual(root.body.Levels.map((l: any) => [l.TargetType, l.Restricts, l.AllowedBy.PolicyId]), [['Account', true, FULL], ['Root', true, FULL]]);
  const management = await simulate({ AccountId: KEYS.main.accountId });
  assert.deepEqual([management.body.ManagementAccount, management.body.Decision, management.body.Reason], [true, 'Allowed', 'ManagementAccount']);
  // Only a narrower Allow at the member's level: everything else is implicitly denied there.
  const ecsOnly = await create('ecs-only', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));
  await attach(ecsOnly, member);
  await detach(FULL, member);
  const implicit = await simulate({ Action: 'oss:DeleteBucket' });
  assert.deepEqual([implicit.body.Decision, implicit.body.Reason, implicit.body.DeniedAt], ['ImplicitDeny', 'NoAllowAtLevel', { TargetType: 'Account', TargetId: member, TargetName: 'member one' }]);
  assert.equal((await simulate({ Action: 'ecs:DeleteInstance' })).body.Decision, 'Allowed');

  // Refusals, in the RPC error envelope.
  const unknown = await admin.raw('GET', '/accounts/9999999999999999/control-policies');
  assert.deepEqual([unknown.status, unknown.body.Code, unknown.body.Message], [404, 'EntityNotExists.Account', 'This resource directory account does not exist.']);
  assert.deepEqual([(await simulate({ AccountId: '9999999999999999' })).status], [404]);
  const bad = async (body: Record<string, unknown>, message: string) => {
    const r = await simulate(body);
    assert.deepEqual([r.status, r.body.Code, r.body.Message], [400, 'InvalidBody', message]);
  };
  await bad({ PrincipalType: 'root' }, "PrincipalType: Invalid enum value. Expected 'Account' | 'RAMUser' | 'AssumedRoleUser', received 'root'");
  await bad({ Action: 'ecs:*' }, 'Action: must be <service>:<action>, without wildcards');
  await bad({ Resource: 'arn:aws:s3:::bucket' }, 'Resource: must be * or an ARN (acs:...)');
  await bad({ Context: { k: 1 } }, 'Context.k: Invalid input');
  await bad({ Extra: true }, "body: Unrecognized key(s) in object: 'Extra'");
  const wrongType = await admin.raw('POST', '/guardrails/simulate', undefined, { 'content-type': 'text/plain' });
  assert.deepEqual([wrongType.status, wrongType.body.Code], [415, 'UnsupportedMediaType']);
});

test('enforcement: a member\'s role session is refused what a Deny on resourcemanager:* forbids while the switch is on; the root key, the management account and GetCallerIdentity are not', async (t) => {
  const { server, member, rd, denyRd, call, create, attach, detach, session, sts } = await world();
  t.after(() => server.stop());
  const key = await session();
  for (const signature of SIGNATURES) await assertFailure(client(server.url, key, signature)('GetResourceDirectory'), ...denied('resourcemanager:GetResourceDirectory'));
  // 2020-03-31 is the same product: the same refusal.
  await assertFailure(client(server.url, key, 'v3', '2020-03-31')('ListAccounts'), ...denied('resourcemanager:ListAccounts'));
  // GetCallerIdentity needs no permission; the management account's RAM user is not restricted.
  assert.equal((await sts(key)('GetCallerIdentity')).AccountId, member);
  assert.equal((await client(server.url, RAM_USER_KEYS.main, 'v3')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
  // Detached: allowed again at once.
  await detach(denyRd, rd.RootFolderId);
  assert.equal((await client(server.url, key, 'v3')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
  // An ImplicitDeny refuses too: only a narrower Allow at the member's own level.
  const ecsOnly = await create('ecs-only', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }));
  await attach(ecsOnly, member);
  await detach(FULL, member);
  await assertFailure(client(server.url, key, 'v1')('GetResourceDirectory'), ...denied('resourcemanager:GetResourceDirectory', 'ImplicitDeny'));
  // The switch off: every attachment dropped, nothing enforced.
  await call('DisableControlPolicy');
  assert.equal((await client(server.url, key, 'v1')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
});

test('rdmc simulate: the decision and why, exit 0 when allowed and 3 when denied; --json prints the answer; bad flags are usage errors', async (t) => {
  const { server, member, rd, denyRd } = await world();
  t.after(() => server.stop());
  const run = async (...args: string[]) => {
    const proc = start(process.execPath, [CLI, 'simulate', ...args, '--endpoint', server.url], { env: cleanEnv() });
    const { code } = await proc.exited;
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  };
  const refused = await run(member, 'resourcemanager:CreateFolder', '--principal', 'ram-role', '--context', 'acs:SourceIp=10.0.0.1');
  assert.equal(refused.code, 3, refused.stderr);
  assert.equal(refused.stdout, [
    `ExplicitDeny (ExplicitDeny): resourcemanager:CreateFolder on * by AssumedRoleUser of account ${member}`,
    `  decided by Statement[0] of deny-rd (${denyRd}) attached to Root ${rd.RootFolderId} (Root): {"Effect":"Deny","Action":["resourcemanager:*"],"Resource":["*"]}`,
    'policies on the chain, from the account up:',
    `  Account ${member} (member one): FullAliyunAccess (${FULL}, System, EffectScope All): Allow by Statement[0]`,
    `  Root ${rd.RootFolderId} (Root): FullAliyunAccess (${FULL}, System, EffectScope All): Allow by Statement[0]`,
    `  Root ${rd.RootFolderId} (Root): deny-rd (${denyRd}, Custom, EffectScope RAM): Deny by Statement[0]`,
    '',
  ].join('\n'));
  const root = await run(member, 'resourcemanager:CreateFolder', '--principal', 'root');
  assert.equal(root.code, 0);
  assert.match(root.stdout, /^Allowed \(AllowedAtEveryLevel\): /);
  assert.match(root.stdout, /deny-rd \(cp-[A-Za-z0-9]+, Custom, EffectScope RAM\): does not apply to Account\n/);
  const json = await run(member, 'ecs:DeleteInstance', 'acs:ecs:cn-hangzhou:1:instance/i-1', '--json', '--context', 'acs:TagKeys=a', '--context', 'acs:TagKeys=b');
  assert.equal(json.code, 0);
  const answer = JSON.parse(json.stdout);
  assert.deepEqual([answer.Decision, answer.Resource, answer.Context['acs:TagKeys']], ['Allowed', 'acs:ecs:cn-hangzhou:1:instance/i-1', ['a', 'b']]);
  const usage = async (args: string[], message: string) => {
    const r = await run(...args);
    assert.deepEqual([r.code, r.stderr, r.stdout], [2, `rdmc simulate: ${message}\n`, '']);
  };
  await usage([member], 'expected ACCOUNT_ID and ACTION');
  await usage([member, 'ecs:RunInstances', '--principal', 'admin'], '--principal must be root, ram-user or ram-role, got "admin"');
  await usage([member, 'ecs:RunInstances', '--context', 'novalue'], '--context expects KEY=VALUE, got "novalue"');
  const unknown = await run('9999999999999999', 'ecs:RunInstances');
  assert.deepEqual([unknown.code, unknown.stdout], [1, '']);
  assert.match(unknown.stderr, /EntityNotExists\.Account/);
});

/** The text of a page, tags dropped and spaces squeezed: what a reader sees. */
const visible = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('console: an account\'s guardrails page lists the policies per level and tries an action through a GET form', async (t) => {
  const { server, member, rd, denyRd, call } = await world();
  t.after(() => server.stop());
  const page = async (query = '') => {
    const r = await fetch(`${server.url}/_rdmc/console/accounts/${member}/guardrails${query}`);
    return { status: r.status, html: await r.text() };
  };
  const account = await (await fetch(`${server.url}/_rdmc/console/accounts/${member}`)).text();
  assert.match(account, new RegExp(`<a href="/_rdmc/console/accounts/${member}/guardrails">Effective policies, and try an action</a>`));

  const plain = await page();
  assert.equal(plain.status, 200);
  const text = visible(plain.html);
  assert.match(text, /Guardrails of member one/);
  assert.match(text, new RegExp(`Account member one ${member} FullAliyunAccess ${FULL} System, EffectScope All`));
  assert.match(text, new RegExp(`Root Root ${rd.RootFolderId} FullAliyunAccess ${FULL} System, EffectScope All .* deny-rd ${denyRd} Custom, EffectScope RAM`));
  assert.ok(plain.html.includes('&quot;resourcemanager:*&quot;'), 'the document, escaped');
  assert.doesNotMatch(text, /Decision:/);

  const tried = await page(`?Action=resourcemanager:CreateFolder&PrincipalType=AssumedRoleUser&Context=${encodeURIComponent('acs:SourceIp=10.0.0.1\nacs:TagKeys=a')}`);
  assert.equal(tried.status, 200);
  const result = visible(tried.html);
  assert.match(result, /Decision: ExplicitDeny resourcemanager:CreateFolder on \* by a role session \(RAM role\)\. A Deny statement matches: Deny wins\./);
  assert.match(result, new RegExp(`What decided .* deny-rd ${denyRd} Root Root ${rd.RootFolderId} Statement\\[0\\]`));
  assert.doesNotMatch(result, /Control policies are disabled/);
  assert.ok(tried.html.includes('<option value="AssumedRoleUser" selected>'), 'the form keeps what was tried');
  assert.ok(tried.html.includes('acs:SourceIp=10.0.0.1\nacs:TagKeys=a</textarea>'));
  const root = visible((await page('?Action=resourcemanager:CreateFolder&PrincipalType=Account')).html);
  assert.match(root, /Decision: Allowed/);
  assert.match(root, /does not apply to Account \(EffectScope RAM\)/);

  const bad = await page('?Action=ecs:*');
  assert.equal(bad.status, 400);
  assert.match(visible(bad.html), /InvalidBody: Action: must be &lt;service&gt;:&lt;action&gt;, without wildcards/);
  const badContext = await page('?Action=ecs:RunInstances&Context=novalue');
  assert.equal(badContext.status, 400);
  assert.match(visible(badContext.html), /InvalidParameter\.Context: Each Context line must be KEY=VALUE; &quot;novalue&quot; is not\./);
  assert.equal((await fetch(`${server.url}/_rdmc/console/accounts/9999999999999999/guardrails`)).status, 404);
  // With the switch off, nothing is attached and the page says nothing is enforced.
  await call('DisableControlPolicy');
  const off = visible((await page('?Action=resourcemanager:CreateFolder')).html);
  assert.match(off, /Decision: Allowed .* No control policy applies to this caller anywhere on the chain\. Control policies are disabled in this directory/);
});

test('console in Chromium: from an account to its guardrails, trying an action with the form', { skip: !chromiumAvailable('the browser test of the guardrails page') }, async (t) => {
  const { server, member } = await world();
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await server.stop();
  });
  const tab = await browser.newPage();
  const external = externalRequests(tab, server.url);
  await tab.goto(`${server.url}/_rdmc/console/accounts/${member}`);
  await tab.getByRole('link', { name: 'Effective policies, and try an action' }).click();
  await tab.waitForURL(`**/accounts/${member}/guardrails`);
  assert.equal(await tab.getByRole('heading', { level: 1 }).textContent(), 'Guardrails of member one');
  await tab.getByLabel('Action').fill('resourcemanager:DeleteFolder');
  await tab.getByLabel('Caller').selectOption('RAMUser');
  await tab.getByRole('button', { name: 'Try' }).click();
  await tab.waitForURL(/Action=resourcemanager%3ADeleteFolder/);
  assert.equal((await tab.getByRole('heading', { level: 2, name: /Decision/ }).textContent())?.trim(), 'Decision: ExplicitDeny');
  await tab.getByLabel('Caller').selectOption('Account');
  await tab.getByRole('button', { name: 'Try' }).click();
  await tab.waitForURL(/PrincipalType=Account/);
  assert.equal((await tab.getByRole('heading', { level: 2, name: /Decision/ }).textContent())?.trim(), 'Decision: Allowed');
  assert.deepEqual(external, []);
});
