import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_ACCESS_KEY } from '../../src/config/schema.js';
import { popCore } from '../helpers/clients.js';
import { CLI, PROJECT_ROOT, cleanEnv, groupAlive, listeningUrl, start } from '../helpers/spawn.js';

test('npm start serves GetResourceDirectory to pop-core with the default key it prints', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-npm-start-'));
  const dataDirExisted = existsSync(join(PROJECT_ROOT, 'data'));
  const proc = start('npm', ['start', '--', '--port', '0', '--db', join(dir, 'rdmc.sqlite')], {
    env: cleanEnv({ RDMC_LOG_LEVEL: 'warn' }),
    detached: true,
  });
  const pid = proc.child.pid!;
  try {
    const url = await listeningUrl(proc);
    assert.match(proc.stdout(), /AccessKeyId=rdmc-default-key AccessKeySecret=rdmc-default-secret/);
    const body = await popCore(url, DEFAULT_ACCESS_KEY)('GetResourceDirectory');
    assert.equal(body.ResourceDirectory.MasterAccountId, DEFAULT_ACCESS_KEY.accountId);
    assert.match(body.ResourceDirectory.RootFolderId, /^r-[A-Za-z0-9]{6}$/);
  } finally {
    // npm runs node as a child: signal the whole group, then wait until every member is gone.
    if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
    await proc.exited;
    while (groupAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(existsSync(join(PROJECT_ROOT, 'data')), dataDirExisted, 'npm start -- --db must not write ./data');
});

test('rdmc serve with two bad values exits 1 naming both problems on stderr', async () => {
  const proc = start(process.execPath, [CLI, 'serve', '--port', '70000'], { env: cleanEnv({ RDMC_ASYNC_MODE: 'sometimes' }) });
  const { code } = await proc.exited;
  assert.equal(code, 1);
  assert.equal(
    proc.stderr(),
    'rdmc: invalid configuration:\n' +
      '  - port: Number must be less than or equal to 65535\n' +
      "  - asyncMode: Invalid enum value. Expected 'immediate' | 'manual' | 'delay', received 'sometimes'\n",
  );
  assert.doesNotMatch(proc.stdout(), /listening/);
});

test('an unknown command exits 2 with the usage', async () => {
  const proc = start(process.execPath, [CLI, 'launch'], { env: cleanEnv() });
  assert.equal((await proc.exited).code, 2);
  assert.match(proc.stderr(), /^rdmc: unknown command "launch"\nusage: rdmc serve /);
});
