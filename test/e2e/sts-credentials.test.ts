import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RESOURCE_MANAGER_VERSION as RM20, STS_VERSION as STS } from '../../src/domain/api-versions.js';
import { openApiClient, openApiCore, type ClientKey } from '../helpers/clients.js';
import { bodyOf, failureOf, runCredentialsLibrary, type CredentialsJob } from '../helpers/credentials-library.js';
import { KEYS, RAM_USER_KEYS, withRamUsers } from '../helpers/keys.js';
import { startHttpsTestServer, type HttpsTestServer } from '../helpers/tls.js';

/**
 * Identity through the official Node clients, over real TLS on loopback: @alicloud/credentials'
 * RAM-role-ARN provider assumes a member's ResourceDirectoryAccountAccessRole at rdmc's HTTPS
 * STS (it knows no other scheme), trusting rdmc's local authority as a user's process would
 * (NODE_EXTRA_CA_CERTS); openapi-client, given the Credential itself, and pop-core, given the
 * session's key and token, then act as the member over plain HTTP.
 */
const ACCESS_ROLE = 'ResourceDirectoryAccountAccessRole';
/** A session policy as people write it, line breaks and spaces and all, which travel percent-encoded in the library's form body. */
const POLICY = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'resourcemanager:Get*', Resource: '*' }] }, null, 1);

let server: HttpsTestServer;
let member: string;

before(async () => {
  server = await startHttpsTestServer({ accessKeys: withRamUsers() });
  member = (await openApiCore(server.url)('CreateResourceAccount', { DisplayName: 'workload' })).Account.AccountId;
});
after(() => server.stop());

const roleArn = (account: string, role = ACCESS_ROLE) => `acs:ram::${account}:role/${role}`;

/** A job for the library: the main account's RAM user assumes `member`'s access role. */
const job = (extra: Partial<CredentialsJob> = {}): CredentialsJob => ({
  stsEndpoint: new URL(server.https!.url).host,
  apiUrl: server.url,
  accessKeyId: RAM_USER_KEYS.main.accessKeyId,
  accessKeySecret: RAM_USER_KEYS.main.accessKeySecret,
  roleArn: roleArn(member),
  roleSessionName: 'pipeline',
  calls: [],
  ...extra,
});

/** What GetCallerIdentity answers for a session `name` of the member's access role. */
function assertSessionIdentity(body: Record<string, any>, name: string): void {
  const { RequestId, RoleId, ...rest } = body;
  assert.match(RequestId, /^[0-9A-F-]{36}$/);
  assert.match(RoleId, /^\d{18}$/);
  assert.deepEqual(rest, {
    AccountId: member,
    Arn: `acs:ram::${member}:role/${ACCESS_ROLE}/${name}`,
    IdentityType: 'AssumedRoleUser',
    PrincipalId: `${RoleId}:${name}`,
  });
}

test('the credentials library assumes the access role over HTTPS; openapi-client and pop-core then act as the member', async () => {
  const outcome = await runCredentialsLibrary(
    job({
      durationSeconds: 1800,
      policy: POLICY,
      calls: [
        { client: 'openapi-client v3', version: STS, action: 'GetCallerIdentity' },
        { client: 'openapi-client v1', version: STS, action: 'GetCallerIdentity' },
        { client: 'pop-core', version: STS, action: 'GetCallerIdentity' },
        { client: 'openapi-client v3', version: RM20, action: 'GetResourceDirectory' },
        { client: 'pop-core', version: RM20, action: 'GetResourceDirectory' },
        // A member may read its directory, nothing of the management account's; the session
        // policy (resourcemanager:Get* only) refuses the rest before the action runs.
        { client: 'openapi-client v3', version: RM20, action: 'GetAccount', params: { AccountId: KEYS.main.accountId } },
        { client: 'openapi-client v3', version: RM20, action: 'ListAccounts' },
        { client: 'pop-core', version: RM20, action: 'CreateFolder', params: { FolderName: 'not-mine' } },
      ],
    }),
    server.caFile,
  );
  assert.equal(outcome.error, undefined);
  const credential = outcome.credential!;
  assert.match(credential.accessKeyId, /^STS\./);
  assert.equal(credential.providerName, 'ram_role_arn/static_ak');

  const [v3, v1, pop, rdV3, rdPop, get, list, create] = outcome.answers;
  for (const identity of [v3, v1, pop]) assertSessionIdentity(bodyOf(identity!), 'pipeline');
  const directory = bodyOf(rdV3!).ResourceDirectory;
  assert.equal(directory.MasterAccountId, KEYS.main.accountId);
  assert.deepEqual(bodyOf(rdPop!).ResourceDirectory, directory);
  const notMine = failureOf(get!);
  assert.deepEqual([notMine.status, notMine.code], [404, 'EntityNotExists.ResourceDirectory']);
  for (const [refused, action] of [[list, 'ListAccounts'], [create, 'CreateFolder']] as const) {
    const f = failureOf(refused!);
    assert.deepEqual([f.status, f.code, f.message], [403, 'NoPermission',
      `You are not authorized to do this action. The session policy of the STS token denies resourcemanager:${action} (ImplicitDeny).`]);
  }

  // The session rdmc keeps is the one asked for: its duration and its policy, sent in the form body.
  const kept = await server.store.readOne((tx) => tx.stsSessions.byAccessKeyId(credential.accessKeyId));
  assert.equal(kept!.expiresAt - kept!.createdAt, 1800 * 1000);
  assert.equal(kept!.policy, POLICY);
  assert.equal(kept!.sourceAccessKeyId, RAM_USER_KEYS.main.accessKeyId);
});

test('a process that does not trust rdmc\'s authority gets no credentials: the TLS is real', async () => {
  const outcome = await runCredentialsLibrary(job());
  assert.equal(outcome.credential, undefined);
  assert.match(outcome.error!, /certificate/);
});

test('the library surfaces AssumeRole\'s refusals: a root key, another account\'s RAM user, a role that does not exist', async () => {
  /** The library's message carries rdmc's answer: `refresh session token failed: <body>`. */
  const refusal = async (extra: Partial<CredentialsJob>) => {
    const outcome = await runCredentialsLibrary(job(extra), server.caFile);
    assert.equal(outcome.credential, undefined);
    const match = /^refresh session token failed: (\{.*\})$/s.exec(outcome.error!);
    assert.ok(match, outcome.error);
    const { Code, Message } = JSON.parse(match[1]!);
    return { Code, Message };
  };
  const root = { accessKeyId: KEYS.main.accessKeyId, accessKeySecret: KEYS.main.accessKeySecret };
  const intruder = { accessKeyId: RAM_USER_KEYS.other.accessKeyId, accessKeySecret: RAM_USER_KEYS.other.accessKeySecret };
  assert.deepEqual(await refusal(root), { Code: 'NoPermission', Message: 'Roles may not be assumed by root accounts.' });
  assert.deepEqual(await refusal(intruder), { Code: 'NoPermission', Message: 'You are not authorized to do this action. You should be authorized by RAM.' });
  const notExists = { Code: 'EntityNotExist.Role', Message: 'The specified Role not exists .' };
  assert.deepEqual(await refusal({ roleArn: roleArn(member, 'AdminRole') }), notExists);
  assert.deepEqual(await refusal({ roleArn: roleArn(KEYS.main.accountId) }), notExists, 'the management account has no access role of its own');
  assert.deepEqual(await refusal({ durationSeconds: 7200 }), { Code: 'InvalidParameter.DurationSeconds', Message: 'The Min/Max value of DurationSeconds is 15min/1hr.' });
});

test('GetCallerIdentity answers on the HTTP and the HTTPS port alike, for the root key, a RAM user and a session', async () => {
  // A session from the STS SDK's path this time: openapi-client, v3, over HTTPS.
  const assumed = await openApiClient(server.https!.url, RAM_USER_KEYS.main, 'v3', server.caPem, STS)('AssumeRole', {
    RoleArn: roleArn(member),
    RoleSessionName: 'console',
  });
  const session: ClientKey = {
    accessKeyId: assumed.Credentials.AccessKeyId,
    accessKeySecret: assumed.Credentials.AccessKeySecret,
    securityToken: assumed.Credentials.SecurityToken,
  };
  const ramUserId = (await openApiClient(server.url, RAM_USER_KEYS.main, 'v3', undefined, STS)('GetCallerIdentity')).UserId;
  assert.match(ramUserId, /^\d{16}$/);
  const main = KEYS.main.accountId;
  const expected: Array<[string, ClientKey, Record<string, string> | null]> = [
    ['root', KEYS.main, { AccountId: main, Arn: `acs:ram::${main}:root`, IdentityType: 'Account', PrincipalId: main, UserId: main }],
    [
      'RAM user',
      RAM_USER_KEYS.main,
      { AccountId: main, Arn: `acs:ram::${main}:user/terraform`, IdentityType: 'RAMUser', PrincipalId: ramUserId, UserId: ramUserId },
    ],
    ['session', session, null],
  ];
  for (const [who, key, identity] of expected) {
    for (const [url, ca] of [[server.url, undefined], [server.https!.url, server.caPem]] as const) {
      for (const signature of ['v3', 'v1'] as const) {
        const body = await openApiClient(url, key, signature, ca, STS)('GetCallerIdentity');
        if (identity === null) assertSessionIdentity(body, 'console');
        else assert.deepEqual({ ...body, RequestId: undefined }, { ...identity, RequestId: undefined }, `${who} over ${url} (${signature})`);
      }
    }
  }
});
