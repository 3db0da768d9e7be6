import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEYS, startTestServer } from '../helpers/server.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

async function run(args: string[], env: Record<string, string>) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv(env) });
  const { code } = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

test('rdmc call --version reaches ResourceManager 2020-03-31 and STS 2015-04-01, signed v3 or v1', async () => {
  const server = await startTestServer();
  const env = { RDMC_ENDPOINT: server.url, ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.main.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.main.accessKeySecret };
  try {
    for (const signing of [[], ['--v1']]) {
      // ScpStatus is in ResourceManager's model of the directory only (docs/compatibility.md).
      const rm = await run(['call', 'GetResourceDirectory', '--version', '2020-03-31', ...signing], env);
      assert.equal(rm.code, 0, rm.stderr);
      const directory = JSON.parse(rm.stdout).ResourceDirectory;
      assert.equal(directory.MasterAccountId, KEYS.main.accountId);
      assert.equal(directory.ScpStatus, directory.ControlPolicyStatus);
      assert.equal('MemberAccountDisplayNameSyncStatus' in directory, false);

      const sts = await run(['call', 'GetCallerIdentity', '--Version=2015-04-01', ...signing], env);
      assert.equal(sts.code, 0, sts.stderr);
      const identity = JSON.parse(sts.stdout);
      assert.equal(identity.AccountId, KEYS.main.accountId);
      assert.equal(identity.Arn, `acs:ram::${KEYS.main.accountId}:root`);

      const rdm = await run(['call', 'GetResourceDirectory', '--version', '2022-04-19', ...signing], env);
      assert.equal(rdm.code, 0, rdm.stderr);
      assert.equal('ScpStatus' in JSON.parse(rdm.stdout).ResourceDirectory, false);
    }
    // An action of another product at the default version is that version's 404.
    const elsewhere = await run(['call', 'GetCallerIdentity'], env);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /^InvalidAction\.NotFound: /);

    const unknown = await run(['call', 'GetCallerIdentity', '--version', '2019-01-01'], env);
    assert.deepEqual({ code: unknown.code, stdout: unknown.stdout }, { code: 2, stdout: '' });
    assert.match(unknown.stderr, /^rdmc call: --version: "2019-01-01" is not a version rdmc serves; one of 2022-04-19 \(ResourceDirectoryMaster\), 2020-03-31 \(ResourceManager\), 2015-04-01 \(Sts\)\n$/);
  } finally {
    await server.stop();
  }
});
