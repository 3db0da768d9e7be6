import assert from 'node:assert/strict';
import { test } from 'node:test';
import { roleId } from '../../src/domain/identity.js';
import { assertFailure, openApiClient, sessionKey } from '../helpers/clients.js';
import { KEYS, RAM_USER_KEYS } from '../helpers/keys.js';
import { client, SIGNATURES, startStsWorld } from '../helpers/sts.js';

/**
 * A role session acts as the member account it assumed into (docs/reference/identity.md):
 * GetCallerIdentity says who it is, GetResourceDirectory answers with the member's directory,
 * the management actions answer as for any member, with pop-core's `SecurityToken` (v1) and
 * openapi-client's `x-acs-security-token` (v3).
 */

const NO_DIRECTORY = [
  404, 'EntityNotExists.ResourceDirectory',
  'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.',
] as const;

test('GetCallerIdentity answers for a role session, a RAM user and an account\'s root key, on both signatures', async (t) => {
  const { server, member, sts, assume } = await startStsWorld();
  t.after(() => server.stop());
  const assumed = await assume({ RoleSessionName: 'who-am-i' });
  const temporary = sessionKey(assumed.Credentials);
  const role = roleId(member, 'ResourceDirectoryAccountAccessRole');
  assert.match(role, /^\d{18}$/);
  for (const signature of SIGNATURES) {
    const { RequestId, ...asSession } = await sts(temporary, signature)('GetCallerIdentity');
    assert.ok(RequestId);
    assert.deepEqual(asSession, {
      AccountId: member,
      Arn: `acs:ram::${member}:role/ResourceDirectoryAccountAccessRole/who-am-i`,
      IdentityType: 'AssumedRoleUser',
      PrincipalId: `${role}:who-am-i`,
      RoleId: role,
    });
    // As AssumeRole named it.
    assert.equal(asSession.Arn, assumed.AssumedRoleUser.Arn);
    assert.equal(asSession.PrincipalId, assumed.AssumedRoleUser.AssumedRoleId);

    const asUser = await sts(RAM_USER_KEYS.main, signature)('GetCallerIdentity');
    assert.equal(asUser.IdentityType, 'RAMUser');
    assert.equal(asUser.AccountId, KEYS.main.accountId);
    assert.equal(asUser.Arn, `acs:ram::${KEYS.main.accountId}:user/terraform`);
    assert.match(asUser.UserId, /^\d{16}$/);
    assert.equal(asUser.PrincipalId, asUser.UserId);
    assert.equal(asUser.RoleId, undefined);
    // Another account's user is another user.
    assert.notEqual((await sts(RAM_USER_KEYS.other, signature)('GetCallerIdentity')).UserId, asUser.UserId);

    const asRoot = await sts(KEYS.main, signature)('GetCallerIdentity');
    assert.deepEqual(
      { ...asRoot, RequestId: undefined },
      {
        RequestId: undefined, AccountId: KEYS.main.accountId, Arn: `acs:ram::${KEYS.main.accountId}:root`,
        IdentityType: 'Account', PrincipalId: KEYS.main.accountId, UserId: KEYS.main.accountId,
      },
    );
  }
});

test('a session acts as its member: it reads the member\'s directory and may not manage it, on both signatures', async (t) => {
  const { server, member, session } = await startStsWorld();
  t.after(() => server.stop());
  const mine = await openApiClient(server.url)('GetResourceDirectory');
  const temporary = await session();
  for (const signature of SIGNATURES) {
    const asMember = client(server.url, temporary, signature);
    // GetResourceDirectory by a member answers with the directory it belongs to (the management account's).
    const { ResourceDirectory } = await asMember('GetResourceDirectory');
    assert.deepEqual(ResourceDirectory, mine.ResourceDirectory);
    assert.equal(ResourceDirectory.MasterAccountId, KEYS.main.accountId);
    // The member manages no directory of its own.
    await assertFailure(asMember('ListAccounts'), ...NO_DIRECTORY);
    const contact = { Name: 'member', EmailAddress: 'm@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] };
    await assertFailure(asMember('AddMessageContact', contact), ...NO_DIRECTORY);
    // Nor can it leave its directory by making one.
    await assertFailure(
      asMember('EnableResourceDirectory', { EnableMode: 'CurrentAccount' }),
      409, 'AccountInAnotherResourceDir', 'The account is already a member of another resource directory.',
    );
  }
  // The member is still where it was, and its directory still the management account's only one.
  const { Account } = await openApiClient(server.url)('GetAccount', { AccountId: member });
  assert.equal(Account.ResourceDirectoryId, mine.ResourceDirectory.ResourceDirectoryId);
  assert.equal((await openApiClient(server.url)('ListAccounts')).Accounts.Account.length, 2);
});
