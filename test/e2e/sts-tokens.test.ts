import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STS_VERSION } from '../../src/domain/api-versions.js';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, failure, openApiClient, popCore, sessionKey, type ClientKey } from '../helpers/clients.js';
import { capturedLog } from '../helpers/log.js';
import { hostOf, send, v1Request, v3Request, type RawResponse } from '../helpers/raw.js';
import { KEYS, RAM_USER_KEYS } from '../helpers/keys.js';
import { client, SIGNATURES, startStsWorld } from '../helpers/sts.js';

/**
 * Temporary credentials on the wire (docs/reference/identity.md): a session's key signs only
 * with its own token, only until it expires, and only while its account is still a member of
 * the directory whose management account assumed the role; configured keys take no token. None
 * of it may leak a secret into the logs, the audit trail or the state export.
 */

const HOUR = 3_600_000;
const MISSING = [400, 'MissingSecurityToken', 'SecurityToken is mandatory for a temporary (STS.) AccessKeyId.'] as const;
const MALFORMED = [400, 'InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.'] as const;
const MISMATCH = [400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'] as const;
const EXPIRED = [400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.'] as const;
const REVOKED = [
  400, 'InvalidSecurityToken.Expired',
  'Specified SecurityToken is expired: its account is no longer a member of the resource directory whose management account assumed the role.',
] as const;
const KEY_NOT_FOUND = [404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'] as const;

const withToken = (key: ClientKey, securityToken: string | undefined): ClientKey => ({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, securityToken });
const whoAmI = (url: string, key: ClientKey, signature: 'v1' | 'v3') => client(url, key, signature, STS_VERSION)('GetCallerIdentity');

/** What a raw request was answered: its status and code, or 200 and the caller's account. */
const outcome = (r: RawResponse) => (r.status === 200 ? `200 ${r.json?.AccountId}` : `${r.status} ${r.json?.Code}`);

test('a temporary key needs its own token, well formed, signed, and a configured key takes none (an empty one is none)', async (t) => {
  const { server, member, session } = await startStsWorld();
  t.after(() => server.stop());
  const [mine, theirs] = [await session({ RoleSessionName: 'mine' }), await session({ RoleSessionName: 'theirs' })];
  for (const signature of SIGNATURES) {
    await t.test(signature, async () => {
      assert.equal((await whoAmI(server.url, mine, signature)).AccountId, member);
      await assertFailure(whoAmI(server.url, withToken(mine, undefined), signature), ...MISSING);
      await assertFailure(whoAmI(server.url, withToken(mine, 'garbage'), signature), ...MALFORMED);
      await assertFailure(whoAmI(server.url, withToken(mine, `${mine.securityToken!}x`), signature), ...MALFORMED);
      await assertFailure(whoAmI(server.url, withToken(mine, theirs.securityToken), signature), ...MISMATCH);
      await assertFailure(whoAmI(server.url, withToken(KEYS.main, mine.securityToken), signature), ...MISMATCH);
      await assertFailure(whoAmI(server.url, withToken(KEYS.main, 'garbage'), signature), ...MALFORMED);
      await assertFailure(whoAmI(server.url, withToken(RAM_USER_KEYS.main, mine.securityToken), signature), ...MISMATCH);
      // A key no session has, with a well-formed token.
      const unknown = { accessKeyId: 'STS.NoSuchSession0000000000000', accessKeySecret: 'x' };
      await assertFailure(whoAmI(server.url, withToken(unknown, mine.securityToken), signature), ...KEY_NOT_FOUND);
      // The session's key with another secret: the signature is wrong, whatever the token.
      assert.equal((await failure(whoAmI(server.url, { ...mine, accessKeySecret: 'not-the-secret' }, signature))).code, 'SignatureDoesNotMatch');
    });
  }

  // The empty token some SDKs send with every request counts as none, with either signature.
  const sts = { Version: STS_VERSION };
  const emptyV1 = (key: ClientKey) => send(server.url, v1Request({ key, action: 'GetCallerIdentity', params: { ...sts, SecurityToken: '' } }));
  const emptyV3 = (key: ClientKey) =>
    send(server.url, v3Request(hostOf(server.url), { key, action: 'GetCallerIdentity', version: STS_VERSION, headers: { 'x-acs-security-token': '' } }));
  assert.equal(outcome(await emptyV1(KEYS.main)), `200 ${KEYS.main.accountId}`);
  assert.equal(outcome(await emptyV3(KEYS.main)), `200 ${KEYS.main.accountId}`);
  assert.equal(outcome(await emptyV1(mine)), '400 MissingSecurityToken');
  assert.equal(outcome(await emptyV3(mine)), '400 MissingSecurityToken');

  // The token decides who the caller is, so the signature must cover it: a v3 request whose
  // x-acs-security-token is left out of SignedHeaders is refused, and so is a v1 request with
  // a token added after signing.
  const v3 = (unsigned: string[]) => {
    const headers = { 'x-acs-security-token': mine.securityToken! };
    return send(server.url, v3Request(hostOf(server.url), { key: mine, action: 'GetCallerIdentity', version: STS_VERSION, headers, unsigned }));
  };
  assert.equal(outcome(await v3([])), `200 ${member}`);
  const unsigned = await v3(['x-acs-security-token']);
  assert.equal(outcome(unsigned), '400 IncompleteSignature');
  assert.match(unsigned.json?.Message, /^The request signature does not conform to Aliyun standards\./);
  const v1 = (params: Record<string, string>, tamper?: Record<string, string>) =>
    send(server.url, v1Request({ key: mine, action: 'GetCallerIdentity', params: { ...sts, ...params }, tamper }));
  assert.equal(outcome(await v1({ SecurityToken: mine.securityToken! })), `200 ${member}`);
  assert.equal(outcome(await v1({}, { SecurityToken: mine.securityToken! })), '400 SignatureDoesNotMatch');
  assert.equal(outcome(await v1({ SecurityToken: theirs.securityToken! }, { SecurityToken: mine.securityToken! })), '400 SignatureDoesNotMatch');
});

test('a session works until its Expiration, is refused as expired after it, and as unknown once retention pruned it', async (t) => {
  const { server, clock, session } = await startStsWorld();
  t.after(() => server.stop());
  const short = await session({ DurationSeconds: 900 });
  const long = await session({ DurationSeconds: 3600 });
  // A second before the end (the domain's clock, which PostgreSQL's correction moves by milliseconds only).
  clock.advance(900_000 - 1_000);
  for (const signature of SIGNATURES) await whoAmI(server.url, short, signature);
  clock.advance(1_000);
  for (const signature of SIGNATURES) {
    await assertFailure(whoAmI(server.url, short, signature), ...EXPIRED);
    await assertFailure(client(server.url, short, signature)('GetResourceDirectory'), ...EXPIRED);
    await whoAmI(server.url, long, signature);
  }
  clock.advance(HOUR);
  for (const signature of SIGNATURES) await assertFailure(whoAmI(server.url, long, signature), ...EXPIRED);
  // Retention (RDMC_RETENTION_STS_SESSIONS_MS, a day from expiry) deletes the sessions; their keys are then unknown.
  clock.advance(24 * HOUR);
  await adminClient(server.url).post('/jobs/run');
  for (const signature of SIGNATURES) await assertFailure(whoAmI(server.url, long, signature), ...KEY_NOT_FOUND);
});

test('a session of a member deleted after it was issued is refused as expired, never served; a reset forgets every session', async (t) => {
  const { server, member, session, assume } = await startStsWorld();
  t.after(() => server.stop());
  const before = await session();
  const main = openApiClient(server.url);
  // A second member, which stays: its sessions are not affected.
  const stays = (await main('CreateResourceAccount', { DisplayName: 'member two' })).Account.AccountId as string;
  const staying = await session({ RoleArn: `acs:ram::${stays}:role/ResourceDirectoryAccountAccessRole` });
  await main('SetMemberDeletionPermission', { Status: 'Enabled' });
  await main('CheckAccountDelete', { AccountId: member });
  await main('DeleteAccount', { AccountId: member });
  assert.equal((await main('GetAccountDeletionStatus', { AccountId: member })).RdAccountDeletionStatus.Status, 'Success');
  for (const signature of SIGNATURES) {
    await assertFailure(whoAmI(server.url, before, signature), ...REVOKED);
    await assertFailure(client(server.url, before, signature)('GetResourceDirectory'), ...REVOKED);
    assert.equal((await whoAmI(server.url, staying, signature)).AccountId, stays);
  }
  // Nor can a new session be had for it.
  await assertFailure(assume(), 403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');

  // A reset (or a state import) lays the directories down anew: sessions issued before are gone.
  await adminClient(server.url).post('/reset');
  for (const signature of SIGNATURES) await assertFailure(whoAmI(server.url, staying, signature), ...KEY_NOT_FOUND);
});

test('no secret reaches the logs, the audit trail or the state export; session writes are audited as sts-session', async (t) => {
  const { logger, lines } = capturedLog('debug');
  const { server, member, assume } = await startStsWorld({}, { logger });
  t.after(() => server.stop());
  const secrets: string[] = [...Object.values(KEYS), ...Object.values(RAM_USER_KEYS)].map((k) => k.accessKeySecret);
  const everything = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const sessions = [await assume({}, 'v1'), await assume({ Policy: everything }, 'v3')];
  for (const { Credentials } of sessions) secrets.push(Credentials.AccessKeySecret, Credentials.SecurityToken);
  const key = sessionKey(sessions[0]!.Credentials);

  // Used every way: v1 GET (the token in the query string), v1 POST (in the form), v3 (in a header), refused and served.
  for (const call of [popCore(server.url, key, 'GET'), popCore(server.url, key, 'POST'), openApiClient(server.url, key)]) {
    await call('GetResourceDirectory');
    await failure(call('AddMessageContact', { Name: 'member', EmailAddress: 'm@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] }));
    await failure(call('EnableResourceDirectory', { EnableMode: 'CurrentAccount' }));
  }
  await failure(popCore(server.url, { ...key, securityToken: sessionKey(sessions[1]!.Credentials).securityToken })('GetResourceDirectory'));
  await failure(openApiClient(server.url, { ...key, accessKeySecret: 'wrong' })('GetResourceDirectory'));
  await failure(popCore(server.url, { ...KEYS.main, accessKeySecret: 'wrong' })('GetResourceDirectory'));

  const admin = adminClient(server.url);
  const { Records } = await admin.get('/audit');
  const state = await (await fetch(`${server.url}/_rdmc/state`)).text();
  const everywhere = { log: JSON.stringify(lines), audit: JSON.stringify(Records), state };
  assert.ok(lines.length > 0 && Records.length > 0 && state.includes(member));
  for (const [where, text] of Object.entries(everywhere)) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where} holds a secret or token (${secret.slice(0, 6)}…)`);
  }

  // AssumeRole is a write, by the RAM user's key; the session's writes are the session's, as the member.
  const assumed = Records.filter((r: any) => r.Action === 'AssumeRole');
  assert.deepEqual(
    assumed.map((r: any) => [r.IdentityType, r.AccessKeyId, r.AccountId, r.Result]),
    [['access-key', RAM_USER_KEYS.main.accessKeyId, KEYS.main.accountId, 'Success'], ['access-key', RAM_USER_KEYS.main.accessKeyId, KEYS.main.accountId, 'Success']],
  );
  const bySession = Records.filter((r: any) => r.AccessKeyId === key.accessKeyId);
  assert.deepEqual(
    bySession.map((r: any) => [r.IdentityType, r.Actor, r.AccountId, r.Action, r.Code]).sort(),
    [
      ...Array(3).fill(['sts-session', key.accessKeyId, member, 'AddMessageContact', 'EntityNotExists.ResourceDirectory']),
      ...Array(3).fill(['sts-session', key.accessKeyId, member, 'EnableResourceDirectory', 'AccountInAnotherResourceDir']),
    ],
  );
});
