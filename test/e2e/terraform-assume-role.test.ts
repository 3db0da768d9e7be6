import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_ACCESS_KEY, DEFAULT_RAM_USER_KEY } from '../../src/config/schema.js';
import { KEYS, RAM_USER_KEYS, withRamUsers } from '../helpers/keys.js';
import { configureAssumeRole, credentialsGoAssumeRole, oldSdkGetCallerIdentity } from '../helpers/terraform/assume-role.js';
import { isExpected, Provider } from '../helpers/terraform/provider.js';
import { create } from '../helpers/terraform/run.js';
import { RM20, teaRpc, TeaError } from '../helpers/terraform/tea-rpc.js';
import { send } from '../helpers/raw.js';
import { startHttpsTestServer, type HttpsTestServer } from '../helpers/tls.js';

/**
 * A landing zone's Terraform run replayed against rdmc (README, "Terraform"): the management
 * provider signs with a RAM user's key and creates a member account; a second, aliased
 * provider reaches that member through `assume_role` (credentials-go's AssumeRole over HTTPS),
 * asks STS who it is through the old Go SDK, and reads the member's directory; what a member
 * may not do is refused as Alibaba refuses it.
 */
const ACCESS_ROLE = 'ResourceDirectoryAccountAccessRole';
const roleArn = (account: string) => `acs:ram::${account}:role/${ACCESS_ROLE}`;

let server: HttpsTestServer;
/** The authority the Go process trusts (SSL_CERT_FILE). */
let ca: string;
before(async () => {
  server = await startHttpsTestServer({ accessKeys: withRamUsers() });
  ca = server.caPem;
});
after(() => server.stop());

test('the management provider (a RAM user) creates a member; the member provider assumes its access role and reads its directory', async () => {
  const management = new Provider(teaRpc(server.url, RAM_USER_KEYS.main));
  // A RAM user acts as its account: data.alicloud_account, the account resource, the accounts data source.
  assert.equal(await management.callerAccount(), KEYS.main.accountId);
  const member = (await create(management.account, { display_name: 'tf-workload' })).id;
  assert.deepEqual((await management.accounts({ ids: [member] })).ids, [member]);

  // Configure: AssumeRole as credentials-go sends it, a pretty-printed policy and an external ID in the form body.
  const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, null, 2);
  const { session, response } = await configureAssumeRole(server.https!.url, ca, RAM_USER_KEYS.main, {
    role_arn: roleArn(member),
    policy,
    external_id: 'landing-zone',
    session_expiration: 1200,
  });
  assert.equal(response.headers['content-encoding'], undefined, 'Accept-Encoding: identity is honoured');
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const { AssumedRoleUser, RequestId } = response.json!;
  assert.match(RequestId, /^[0-9A-F-]{36}$/);
  assert.equal(AssumedRoleUser.Arn, `${roleArn(member)}/terraform`, 'session_name defaults to terraform');
  assert.match(AssumedRoleUser.AssumedRoleId, /^\d{18}:terraform$/);
  // The session lasts session_expiration, to the second: credentials-go refreshes 180 s before the end.
  const lasts = (Date.parse(session.expiration) - Date.now()) / 1000;
  assert.ok(lasts > 1200 - 60 && lasts <= 1200, `Expiration ${session.expiration} is not 1200 s away`);
  // Go's form encoding writes the policy's spaces as `+`: rdmc keeps the document as written.
  assert.equal((await server.store.readOne((tx) => tx.stsSessions.byAccessKeyId(session.accessKeyId)))!.policy, policy);

  // data "alicloud_account" of the member provider: the old SDK, over HTTP and HTTPS alike.
  for (const [url, trust] of [[server.url, undefined], [server.https!.url, ca]] as const) {
    const identity = await oldSdkGetCallerIdentity(url, session, trust);
    assert.equal(identity.status, 200, identity.text);
    assert.equal(identity.json!.AccountId, member);
    assert.equal(identity.json!.IdentityType, 'AssumedRoleUser');
    assert.equal(identity.json!.Arn, AssumedRoleUser.Arn);
    assert.equal(identity.json!.PrincipalId, AssumedRoleUser.AssumedRoleId);
  }

  // The member provider: RpcPost with the session's key and token.
  const workload = new Provider(teaRpc(server.url, session));
  assert.deepEqual(await workload.resourceDirectories(), await management.resourceDirectories(), 'a member reads the directory it belongs to');
  const refused = (err: unknown) => err instanceof TeaError && err.statusCode === 404 && isExpected(err, ['EntityNotExists.ResourceDirectory']);
  await assert.rejects(workload.accounts({}), refused);
  await assert.rejects(workload.call(RM20, 'CreateFolder', { FolderName: 'not-mine' }), refused);

  // A member's session cannot hop to another member: only the management account is trusted.
  const other = (await create(management.account, { display_name: 'tf-other' })).id;
  const hop = await send(server.https!.url, credentialsGoAssumeRole(new URL(server.https!.url).host, session, { role_arn: roleArn(other) }), ca);
  assert.equal(hop.status, 403);
  assert.equal(hop.json!.Code, 'NoPermission');
  // The management provider's data "alicloud_account", through the old SDK too: the RAM user.
  const own = await oldSdkGetCallerIdentity(server.url, RAM_USER_KEYS.main);
  assert.equal(own.json!.IdentityType, 'RAMUser');
  assert.equal(own.json!.Arn, `acs:ram::${KEYS.main.accountId}:user/terraform`);
});

test('a provider signing with the root key is refused as Alibaba refuses it, and credentials-go fails the run', async () => {
  const member = (await new Provider(teaRpc(server.url)).call(RM20, 'CreateResourceAccount', { DisplayName: 'tf-root' })).Account.AccountId;
  const answer = await send(server.https!.url, credentialsGoAssumeRole(new URL(server.https!.url).host, KEYS.main, { role_arn: roleArn(member) }), ca);
  assert.equal(answer.status, 403);
  assert.deepEqual([answer.json!.Code, answer.json!.Message], ['NoPermission', 'Roles may not be assumed by root accounts.']);
  await assert.rejects(configureAssumeRole(server.https!.url, ca, KEYS.main, { role_arn: roleArn(member) }), /refresh session token failed/);
});

test('with nothing configured, the README\'s assume_role example works: the development RAM user key assumes a member\'s role', async (t) => {
  const plain = await startHttpsTestServer({ accessKeys: undefined });
  t.after(() => plain.stop());
  const member = (await new Provider(teaRpc(plain.url, DEFAULT_ACCESS_KEY)).call(RM20, 'CreateResourceAccount', { DisplayName: 'tf-dev' })).Account.AccountId;
  const { session } = await configureAssumeRole(plain.https!.url, plain.caPem, DEFAULT_RAM_USER_KEY, { role_arn: roleArn(member) });
  assert.equal((await new Provider(teaRpc(plain.url, session)).resourceDirectories())[0]!.master_account_id, DEFAULT_ACCESS_KEY.accountId);
});
