import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { RESOURCE_MANAGER_VERSION as RM20, STS_VERSION as STS } from '../../src/domain/api-versions.js';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, openApiClient, openApiCore, popCore, type ClientKey } from '../helpers/clients.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { ACCESS_KEYS_WITH_RAM_USERS_ENV, KEYS, RAM_USER_KEYS } from '../helpers/keys.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';

/**
 * STS sessions live in the database, so every node of a cluster knows every session: one
 * made by AssumeRole on node A signs requests on node B, with either signature; each node
 * refuses it once its own clock passes the stored expiry; and once the member leaves the
 * directory, neither node lets its sessions act any more.
 */
const SESSION_SECONDS = 900;
const EXPIRED = 'Specified SecurityToken is expired.';
const REVOKED = 'Specified SecurityToken is expired: its account is no longer a member of the resource directory whose management account assumed the role.';

describe('STS sessions on two nodes of one PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  let skipped: string | undefined;
  const procs: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;

  before(async () => {
    if (!(await postgresReachable())) {
      skipped = warnPostgresMissing('the STS cluster tests');
      return;
    }
    database = await createTestDatabase('postgres');
    const spawn = async () => {
      // Time travel on both: a session's expiry is seen by moving each node's clock on its own.
      const proc = await spawnServer(['--db', database!.db, '--pg-pool-size', '5', '--async-mode', 'delay', '--async-delay-ms', '0', '--time-travel'], {
        RDMC_ACCESS_KEYS: ACCESS_KEYS_WITH_RAM_USERS_ENV,
      });
      procs.push(proc);
      return proc;
    };
    a = await spawn();
    b = await spawn();
  });
  after(async () => {
    for (const proc of procs) await proc.kill('SIGKILL');
    await database?.drop();
  });

  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(name, async (t) => (skipped ? t.skip(skipped) : fn(t)));

  const newMember = async (node: ServerProcess, name: string): Promise<string> =>
    (await openApiCore(node.url)('CreateResourceAccount', { DisplayName: name })).Account.AccountId;

  /** AssumeRole on `node` by the management account's RAM user: the session's key and token. */
  async function assumeRole(node: ServerProcess, member: string, name: string): Promise<ClientKey> {
    const { Credentials } = await popCore(node.url, RAM_USER_KEYS.main, 'POST', STS)('AssumeRole', {
      RoleArn: `acs:ram::${member}:role/ResourceDirectoryAccountAccessRole`,
      RoleSessionName: name,
      DurationSeconds: SESSION_SECONDS,
    });
    return { accessKeyId: Credentials.AccessKeyId, accessKeySecret: Credentials.AccessKeySecret, securityToken: Credentials.SecurityToken };
  }

  /** GetCallerIdentity on `node` with `session`, signed v1 (pop-core, `SecurityToken`) and v3 (openapi-client, `x-acs-security-token`). */
  const identities = (node: ServerProcess, session: ClientKey) => [
    () => popCore(node.url, session, 'POST', STS)('GetCallerIdentity'),
    () => openApiClient(node.url, session, 'v3', undefined, STS)('GetCallerIdentity'),
  ];

  async function assertActsAs(node: ServerProcess, session: ClientKey, member: string): Promise<void> {
    for (const identity of await Promise.all(identities(node, session).map((ask) => ask()))) {
      assert.equal(identity.AccountId, member);
      assert.equal(identity.IdentityType, 'AssumedRoleUser');
    }
  }

  async function assertRefused(node: ServerProcess, session: ClientKey, message: string): Promise<void> {
    for (const ask of identities(node, session)) await assertFailure(ask(), 400, 'InvalidSecurityToken.Expired', message);
  }

  it('a session made by AssumeRole on node A signs v1 and v3 requests on node B', async () => {
    const member = await newMember(a, 'cluster-a');
    const session = await assumeRole(a, member, 'made-on-a');
    await assertActsAs(b, session, member);
    const directory = (await openApiClient(b.url, session, 'v3', undefined, RM20)('GetResourceDirectory')).ResourceDirectory;
    assert.equal(directory.MasterAccountId, KEYS.main.accountId);
    assert.deepEqual((await popCore(b.url, session, 'GET', RM20)('GetResourceDirectory')).ResourceDirectory, directory);
  });

  it('each node refuses a session once its own clock passes the expiry the database holds', async () => {
    const member = await newMember(b, 'cluster-b');
    const session = await assumeRole(b, member, 'expiring');
    await assertActsAs(a, session, member);
    await adminClient(a.url).post('/time/advance', { Milliseconds: SESSION_SECONDS * 1000 + 1000 });
    await assertRefused(a, session, EXPIRED);
    // B's clock has not moved: for B the session still has time left.
    await assertActsAs(b, session, member);
    await adminClient(b.url).post('/time/advance', { Milliseconds: SESSION_SECONDS * 1000 + 1000 });
    await assertRefused(b, session, EXPIRED);
  });

  it('a member deleted through one node: its sessions stop acting on both', async () => {
    const member = await newMember(a, 'cluster-leaving');
    const session = await assumeRole(a, member, 'leaving');
    await assertActsAs(b, session, member);
    const management = openApiCore(b.url);
    await management('SetMemberDeletionPermission', { Status: 'Enabled' });
    await management('CheckAccountDelete', { AccountId: member });
    await management('DeleteAccount', { AccountId: member });
    await eventually('the member deleted', async () =>
      (await management('GetAccountDeletionStatus', { AccountId: member })).RdAccountDeletionStatus.Status === 'Success',
    );
    await assertRefused(a, session, REVOKED);
    await assertRefused(b, session, REVOKED);
  });
});
