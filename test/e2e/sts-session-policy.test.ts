import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFailure, openApiClient } from '../helpers/clients.js';
import { KEYS } from '../helpers/keys.js';
import { client, SIGNATURES, startStsWorld } from '../helpers/sts.js';

/**
 * A role session's policy (AssumeRole's `Policy`) enforced on rdmc's actions
 * (docs/reference/identity.md, "Session policies"): the session may do only what its policy
 * allows and does not deny, at both signatures, both Resource Directory versions and STS.
 */

const doc = (...statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });
const allow = (action: string, extra: object = {}) => ({ Effect: 'Allow', Action: action, Resource: '*', ...extra });
const denied = (action: string, decision = 'ImplicitDeny') =>
  [403, 'NoPermission', `You are not authorized to do this action. The session policy of the STS token denies ${action} (${decision}).`] as const;
/** What a member's session gets from ListAccounts once allowed: the action ran (a member has no directory of its own). */
const RAN = [404, 'EntityNotExists.ResourceDirectory', 'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.'] as const;
const GET_RD_ONLY = doc(allow('resourcemanager:GetResourceDirectory'));

test('a session whose policy allows only GetResourceDirectory calls it, at both signatures and versions, and nothing else; GetCallerIdentity always', async (t) => {
  const { server, member, session, sts } = await startStsWorld();
  t.after(() => server.stop());
  const key = await session({ Policy: GET_RD_ONLY });
  const rdId = (await openApiClient(server.url)('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId;
  for (const signature of SIGNATURES) {
    assert.equal((await client(server.url, key, signature)('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rdId);
    assert.equal((await client(server.url, key, signature, '2020-03-31')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rdId);
    await assertFailure(client(server.url, key, signature)('ListAccounts'), ...denied('resourcemanager:ListAccounts'));
    await assertFailure(client(server.url, key, signature, '2020-03-31')('ListAccounts'), ...denied('resourcemanager:ListAccounts'));
    await assertFailure(client(server.url, key, signature)('CreateFolder', { FolderName: 'nope' }), ...denied('resourcemanager:CreateFolder'));
    // STS: AssumeRole is an action like any other; GetCallerIdentity needs no permission.
    await assertFailure(sts(key, signature)('AssumeRole', { RoleArn: `acs:ram::${member}:role/ResourceDirectoryAccountAccessRole`, RoleSessionName: 'again' }), ...denied('sts:AssumeRole'));
    assert.equal((await sts(key, signature)('GetCallerIdentity')).AccountId, member);
  }
  // The refused write changed nothing.
  assert.equal((await openApiClient(server.url)('ListFoldersForParent', { ParentFolderId: (await openApiClient(server.url)('GetResourceDirectory')).ResourceDirectory.RootFolderId })).TotalCount, 0);
});

test('an explicit Deny wins over an Allow; the resource is the directory\'s ARN; a session without a policy is unrestricted', async (t) => {
  const { server, session } = await startStsWorld();
  t.after(() => server.stop());
  const rd = (await openApiClient(server.url)('GetResourceDirectory')).ResourceDirectory;
  const denyGet = await session({ Policy: doc(allow('resourcemanager:*'), { Effect: 'Deny', Action: 'resourcemanager:GetResourceDirectory', Resource: '*' }) });
  await assertFailure(client(server.url, denyGet, 'v1')('ListAccounts'), ...RAN);
  for (const signature of SIGNATURES) await assertFailure(client(server.url, denyGet, signature)('GetResourceDirectory'), ...denied('resourcemanager:GetResourceDirectory', 'ExplicitDeny'));

  const thisDirectory = `acs:resourcemanager::${KEYS.main.accountId}:rd/${rd.ResourceDirectoryId}`;
  const here = await session({ Policy: doc({ Effect: 'Allow', Action: 'resourcemanager:*', Resource: thisDirectory }) });
  assert.equal((await client(server.url, here, 'v3')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
  const elsewhere = await session({ Policy: doc({ Effect: 'Allow', Action: 'resourcemanager:*', Resource: `acs:resourcemanager::${KEYS.main.accountId}:rd/rd-other` }) });
  await assertFailure(client(server.url, elsewhere, 'v3')('GetResourceDirectory'), ...denied('resourcemanager:GetResourceDirectory'));

  const free = await session();
  for (const signature of SIGNATURES) {
    await assertFailure(client(server.url, free, signature)('ListAccounts'), ...RAN);
    assert.equal((await client(server.url, free, signature, '2020-03-31')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
  }
});

test('a Condition on acs:SecureTransport or acs:SourceIp is judged against the request (plain HTTP from the loopback here)', async (t) => {
  const { server, session } = await startStsWorld();
  t.after(() => server.stop());
  const rdId = (await openApiClient(server.url)('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId;
  const get = async (key: Awaited<ReturnType<typeof session>>, signature: 'v1' | 'v3') =>
    (await client(server.url, key, signature)('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId;
  const overHttp = await session({ Policy: doc(allow('resourcemanager:*', { Condition: { Bool: { 'acs:SecureTransport': 'false' } } })) });
  assert.equal(await get(overHttp, 'v3'), rdId);
  const httpsOnly = await session({ Policy: doc(allow('resourcemanager:*', { Condition: { Bool: { 'acs:SecureTransport': 'true' } } })) });
  await assertFailure(get(httpsOnly, 'v3'), ...denied('resourcemanager:GetResourceDirectory'));
  const loopback = await session({ Policy: doc(allow('resourcemanager:*', { Condition: { IpAddress: { 'acs:SourceIp': ['127.0.0.0/8', '::1/128'] } } })) });
  assert.equal(await get(loopback, 'v1'), rdId);
  const office = await session({ Policy: doc(allow('resourcemanager:*'), { Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }) });
  await assertFailure(get(office, 'v1'), ...denied('resourcemanager:GetResourceDirectory', 'ExplicitDeny'));
});

test('the session policy is checked alongside the control policies: a session policy allowing everything does not lift a control policy\'s Deny', async (t) => {
  const { server, session } = await startStsWorld();
  t.after(() => server.stop());
  const call = openApiClient(server.url);
  const rd = (await call('GetResourceDirectory')).ResourceDirectory;
  await call('EnableControlPolicy');
  const policyId = (await call('CreateControlPolicy', { PolicyName: 'deny-list', EffectScope: 'RAM', PolicyDocument: doc({ Effect: 'Deny', Action: 'resourcemanager:List*', Resource: '*' }) })).ControlPolicy.PolicyId;
  await call('AttachControlPolicy', { PolicyId: policyId, TargetId: rd.RootFolderId });
  const key = await session({ Policy: doc(allow('*')) });
  assert.equal((await client(server.url, key, 'v3')('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
  await assertFailure(client(server.url, key, 'v3')('ListAccounts'), 403, 'NoPermission',
    'You are not authorized to do this action. A control policy of the resource directory denies resourcemanager:ListAccounts (ExplicitDeny).');
});
