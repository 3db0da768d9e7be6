import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertFailure, openApiClient } from '../helpers/clients.js';
import { KEYS, RAM_USER_KEYS } from '../helpers/keys.js';
import { memberRoleArn, SIGNATURES, startStsWorld } from '../helpers/sts.js';

/**
 * STS AssumeRole (docs/reference/identity.md): a RAM user of a directory's management account
 * assumes a member's ResourceDirectoryAccountAccessRole, through pop-core (v1) and
 * openapi-client (v3); every bad input gets AssumeRole's documented status and code.
 */

const NOT_AUTHORIZED = [403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.'] as const;
const NO_ROLE = [404, 'EntityNotExist.Role', 'The specified Role not exists .'] as const;
const BAD = {
  roleArn: [400, 'InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.'],
  sessionName: [400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.'],
  duration: [400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.'],
  policySize: [400, 'InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.'],
  policyGrammar: [400, 'InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.'],
  externalId: [400, 'InvalidParameter.ExternalId', 'The parameter ExternalId is wrongly formed.'],
  sourceIdentity: [400, 'InvalidParameter.SourceIdentity', 'The parameter SourceIdentity is wrongly formed.'],
} as const;
const missing = (name: string) => [400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`] as const;

const statement = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 'resourcemanager:Get*', Resource: '*', ...extra });
const policy = (...statements: unknown[]) => JSON.stringify({ Version: '1', Statement: statements });

test('a RAM user of the management account assumes a member\'s access role: the answer as Alibaba documents it, on both signatures', async (t) => {
  const { server, member, assume } = await startStsWorld();
  t.after(() => server.stop());
  for (const signature of SIGNATURES) {
    const session = `tf-${signature}`;
    const answer = await assume({ RoleSessionName: session, DurationSeconds: 1800 }, signature);
    assert.deepEqual(Object.keys(answer).sort(), ['AssumedRoleUser', 'Credentials', 'RequestId']);
    assert.equal(answer.AssumedRoleUser.Arn, `acs:ram::${member}:role/ResourceDirectoryAccountAccessRole/${session}`);
    assert.match(answer.AssumedRoleUser.AssumedRoleId, new RegExp(`^\\d{18}:${session}$`));
    assert.deepEqual(Object.keys(answer.Credentials).sort(), ['AccessKeyId', 'AccessKeySecret', 'Expiration', 'SecurityToken']);
    assert.match(answer.Credentials.AccessKeyId, /^STS\.[A-Za-z0-9]+$/);
    assert.ok(answer.Credentials.AccessKeySecret.length >= 30);
    assert.match(answer.Credentials.SecurityToken, /^CAIS/);
    // The domain's clock stands at START (2030-01-01T00:00:00.5Z): 1800 s later, without milliseconds.
    assert.equal(answer.Credentials.Expiration, '2030-01-01T00:30:00Z');
  }
  // The role ID is the role's: the same for every session of it.
  const [a, b] = [await assume({ RoleSessionName: 'one' }), await assume({ RoleSessionName: 'two' })];
  assert.equal(a.AssumedRoleUser.AssumedRoleId.split(':')[0], b.AssumedRoleUser.AssumedRoleId.split(':')[0]);
  assert.notEqual(a.Credentials.AccessKeyId, b.Credentials.AccessKeyId);
  // Without DurationSeconds: an hour. SourceIdentity is echoed when given, and only then.
  assert.equal(a.Credentials.Expiration, '2030-01-01T01:00:00Z');
  assert.equal(a.SourceIdentity, undefined);
  const traced = await assume({ SourceIdentity: 'alice@example.com', ExternalId: 'abcdef:/=+,.@-x' });
  assert.equal(traced.SourceIdentity, 'alice@example.com');
  // The bounds themselves, a 64-character session name, and role names compared without case, as RAM compares them.
  assert.equal((await assume({ DurationSeconds: 900 })).Credentials.Expiration, '2030-01-01T00:15:00Z');
  assert.equal((await assume({ DurationSeconds: 3600, RoleSessionName: 'a'.repeat(64) })).AssumedRoleUser.Arn, `${memberRoleArn(member)}/${'a'.repeat(64)}`);
  const lower = await assume({ RoleArn: memberRoleArn(member, 'resourcedirectoryaccountaccessrole'), RoleSessionName: 'u.s@e_r-1' });
  assert.equal(lower.AssumedRoleUser.Arn, `${memberRoleArn(member)}/u.s@e_r-1`);
});

test('every bad AssumeRole parameter gets its documented 400, through pop-core and openapi-client', async (t) => {
  const { server, member, assume } = await startStsWorld();
  t.after(() => server.stop());
  const valid = policy(statement(), statement({ Effect: 'Deny', Action: ['ecs:Delete*', 'ram:*'], Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }));
  const cases: Array<[string, Record<string, string | number | undefined>, readonly [number, string, string]]> = [
    ['no RoleArn', { RoleArn: undefined }, missing('RoleArn')],
    ['an empty RoleArn', { RoleArn: '' }, missing('RoleArn')],
    ['no RoleSessionName', { RoleSessionName: undefined }, missing('RoleSessionName')],
    ['an AWS ARN', { RoleArn: `arn:aws:iam::${member}:role/ResourceDirectoryAccountAccessRole` }, BAD.roleArn],
    ['a 15-digit account', { RoleArn: memberRoleArn(member.slice(1)) }, BAD.roleArn],
    ['a user, not a role', { RoleArn: `acs:ram::${member}:user/ops` }, BAD.roleArn],
    ['no role name', { RoleArn: `acs:ram::${member}:role/` }, BAD.roleArn],
    ['a role name with a space', { RoleArn: memberRoleArn(member, 'Access Role') }, BAD.roleArn],
    ['a one-character session name', { RoleSessionName: 'a' }, BAD.sessionName],
    ['a 65-character session name', { RoleSessionName: 'a'.repeat(65) }, BAD.sessionName],
    ['a session name with a space', { RoleSessionName: 'my session' }, BAD.sessionName],
    ['a session name with a colon', { RoleSessionName: 'my:session' }, BAD.sessionName],
    ['899 seconds', { DurationSeconds: 899 }, BAD.duration],
    ['3601 seconds (the default maximum)', { DurationSeconds: 3601 }, BAD.duration],
    ['43200 seconds (above the default maximum)', { DurationSeconds: 43200 }, BAD.duration],
    ['seconds with letters', { DurationSeconds: '1800s' }, BAD.duration],
    ['negative seconds', { DurationSeconds: '-1800' }, BAD.duration],
    ['fractional seconds', { DurationSeconds: '1800.5' }, BAD.duration],
    ['a policy over 2048 bytes', { Policy: policy(statement({ Resource: `acs:ecs:*:*:instance/${'x'.repeat(2048)}` })) }, BAD.policySize],
    ['2049 bytes of multi-byte characters', { Policy: 'é'.repeat(1025) }, BAD.policySize],
    ['a policy that is not JSON', { Policy: 'Allow everything' }, BAD.policyGrammar],
    ['a policy that is a JSON array', { Policy: '[]' }, BAD.policyGrammar],
    ['a policy of another version', { Policy: JSON.stringify({ Version: '2', Statement: [statement()] }) }, BAD.policyGrammar],
    ['a policy without statements', { Policy: policy() }, BAD.policyGrammar],
    ['an unknown statement element', { Policy: policy(statement({ Principal: '*' })) }, BAD.policyGrammar],
    ['an Effect in lower case', { Policy: policy(statement({ Effect: 'allow' })) }, BAD.policyGrammar],
    ['both Action and NotAction', { Policy: policy(statement({ NotAction: 'ram:*' })) }, BAD.policyGrammar],
    ['no Resource', { Policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*' }] }) }, BAD.policyGrammar],
    ['an unknown Condition operator', { Policy: policy(statement({ Condition: { StringEqualz: { 'acs:SourceIp': '1.2.3.4' } } })) }, BAD.policyGrammar],
    ['a one-character ExternalId', { ExternalId: 'x' }, BAD.externalId],
    ['an ExternalId with a space', { ExternalId: 'my id' }, BAD.externalId],
    ['an ExternalId of 1225 characters', { ExternalId: 'x'.repeat(1225) }, BAD.externalId],
    ['a SourceIdentity starting with acs:', { SourceIdentity: 'acs:alice' }, BAD.sourceIdentity],
    ['a SourceIdentity starting with aliyun:', { SourceIdentity: 'aliyun:alice' }, BAD.sourceIdentity],
    ['a one-character SourceIdentity', { SourceIdentity: 'a' }, BAD.sourceIdentity],
    ['a SourceIdentity with a slash', { SourceIdentity: 'alice/bob' }, BAD.sourceIdentity],
  ];
  for (const signature of ['v1', 'v3'] as const) {
    for (const [name, params, expected] of cases) {
      await t.test(`${signature}: ${name}`, async () => void (await assertFailure(assume(params, signature), ...expected)));
    }
    // A valid policy, pretty-printed on many lines, and its bounds: accepted.
    await assume({ Policy: JSON.stringify(JSON.parse(valid), null, 2) }, signature);
    await assume({ Policy: `\r\n\t${valid}\n` }, signature);
    const padding = 2048 - Buffer.byteLength(policy(statement({ Resource: 'acs:ecs:*:*:instance/' })));
    await assume({ Policy: policy(statement({ Resource: `acs:ecs:*:*:instance/${'x'.repeat(padding)}` })) }, signature);
  }
});

test('RDMC_STS_MAX_SESSION_SECONDS raises the longest session a role grants, up to 12 hours', async (t) => {
  const { server, assume } = await startStsWorld({ stsMaxSessionSeconds: 43_200 });
  t.after(() => server.stop());
  assert.equal((await assume({ DurationSeconds: 43_200 })).Credentials.Expiration, '2030-01-01T12:00:00Z');
  // The default stays an hour; past the maximum is refused, with Alibaba's message as it is.
  assert.equal((await assume({})).Credentials.Expiration, '2030-01-01T01:00:00Z');
  await assertFailure(assume({ DurationSeconds: 43_201 }), ...BAD.duration);
});

test('who may assume which role: root keys never, other tenants\' users and unknown accounts are not trusted, only the member role exists', async (t) => {
  const { server, member, sts } = await startStsWorld();
  t.after(() => server.stop());
  // The other tenant has a directory of its own: its users are still not trusted by main's members.
  await openApiClient(server.url, KEYS.other)('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const otherMember = (await openApiClient(server.url, KEYS.other)('CreateResourceAccount', { DisplayName: 'theirs' })).Account.AccountId as string;
  const assumeAs = (key: Parameters<typeof sts>[0], roleArn: string) => sts(key)('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'probe' });

  const rootRefused = [403, 'NoPermission', 'Roles may not be assumed by root accounts.'] as const;
  await assertFailure(assumeAs(KEYS.main, memberRoleArn(member)), ...rootRefused);
  await assertFailure(assumeAs(KEYS.other, memberRoleArn(otherMember)), ...rootRefused);
  await assertFailure(sts(KEYS.main, 'v1')('AssumeRole', { RoleArn: memberRoleArn(member), RoleSessionName: 'probe' }), ...rootRefused);

  await assertFailure(assumeAs(RAM_USER_KEYS.other, memberRoleArn(member)), ...NOT_AUTHORIZED);
  await assertFailure(assumeAs(RAM_USER_KEYS.main, memberRoleArn(otherMember)), ...NOT_AUTHORIZED);
  // An account in no directory, one rdmc knows (bare) or not: not trusted, whatever role is named.
  await assertFailure(assumeAs(RAM_USER_KEYS.main, memberRoleArn('4444444444444444')), ...NOT_AUTHORIZED);
  await assertFailure(assumeAs(RAM_USER_KEYS.main, memberRoleArn(KEYS.bare.accountId, 'AnyRole')), ...NOT_AUTHORIZED);
  // In a member of the caller's own directory, only its access role exists; the management account has none.
  await assertFailure(assumeAs(RAM_USER_KEYS.main, memberRoleArn(member, 'AliyunECSInstanceRole')), ...NO_ROLE);
  await assertFailure(assumeAs(RAM_USER_KEYS.main, memberRoleArn(KEYS.main.accountId)), ...NO_ROLE);
  // The other tenant's user assumes its own member's role.
  assert.equal((await assumeAs(RAM_USER_KEYS.other, memberRoleArn(otherMember))).AssumedRoleUser.Arn, `${memberRoleArn(otherMember)}/probe`);
});
