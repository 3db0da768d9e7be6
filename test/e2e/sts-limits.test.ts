import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import RPCClient from '@alicloud/pop-core';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, popCore } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

const RAM_USER = { accessKeyId: 'limitsRamKey', accessKeySecret: 'limitsRamSecret', accountId: KEYS.main.accountId, userName: 'ops' };
const ROLE = 'ResourceDirectoryAccountAccessRole';

/** STS 2015-04-01 through pop-core (v1, as the credentials library signs). */
const sts = (url: string, key: { accessKeyId: string; accessKeySecret: string }) => {
  const client = new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: url, apiVersion: '2015-04-01' });
  return (params: Record<string, string>) => client.request<Record<string, any>>('AssumeRole', params, { method: 'POST', timeout: 10_000 });
};

async function member(server: TestServer): Promise<string> {
  return (await popCore(server.url)('CreateResourceAccount', { DisplayName: 'limits-member' })).Account.AccountId as string;
}

describe('STS limits: live sessions per management account, and root keys', () => {
  let server: TestServer;
  let memberId: string;
  before(async () => {
    server = await startTestServer({ accessKeys: [...Object.values(KEYS), RAM_USER], stsMaxLiveSessions: 2 });
    memberId = await member(server);
  });
  after(() => server.stop());

  test('past RDMC_STS_MAX_LIVE_SESSIONS live sessions, AssumeRole is refused until one expires', async () => {
    const assume = sts(server.url, RAM_USER);
    const params = { RoleArn: `acs:ram::${memberId}:role/${ROLE}`, RoleSessionName: 'cap', DurationSeconds: '900' };
    await assume(params);
    await assume(params);
    await assertFailure(assume(params), 409, 'LimitExceeded.StsSession', 'The account holds 2 live STS sessions, the most it may; wait for some to expire.');
    await server.admin.time.advance(900_000);
    assert.match((await assume(params)).Credentials.AccessKeyId, /^STS\./);
  });

  test("AssumeRole's audit record names the session's key: the trail ties it to the RAM user after the session is pruned", async () => {
    const answer = await sts(server.url, RAM_USER)({ RoleArn: `acs:ram::${memberId}:role/${ROLE}`, RoleSessionName: 'audited', DurationSeconds: '900' });
    const { Records } = (await adminClient(server.url).get('/audit?Action=AssumeRole')) as { Records: Array<Record<string, any>> };
    const record = Records.find((r) => r.Targets.includes(answer.Credentials.AccessKeyId));
    assert.ok(record, 'no AssumeRole record names the session key');
    assert.equal(record.AccessKeyId, RAM_USER.accessKeyId);
    assert.equal(JSON.stringify(Records).includes(answer.Credentials.AccessKeySecret), false);
    assert.equal(JSON.stringify(Records).includes(answer.Credentials.SecurityToken), false);
  });

  test('a root key is refused by default, and may assume roles with RDMC_STS_ALLOW_ROOT', async () => {
    const params = { RoleArn: `acs:ram::${memberId}:role/${ROLE}`, RoleSessionName: 'root' };
    await assertFailure(sts(server.url, KEYS.main)(params), 403, 'NoPermission', 'Roles may not be assumed by root accounts.');
    // A restarted node's clock has not travelled: the first test's sessions are live again, so the cap is lifted.
    const allowing = await server.restart({ stsAllowRoot: true, stsMaxLiveSessions: 1000 });
    server = allowing;
    const answer = await sts(server.url, KEYS.main)(params);
    assert.equal(answer.AssumedRoleUser.Arn, `acs:ram::${memberId}:role/${ROLE}/root`);
  });
});
