import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { DEFAULT_ACCESS_KEY } from '../../src/config/schema.js';
import { SETTINGS } from '../../src/config/settings.js';
import { startTestServer, KEYS } from '../helpers/server.js';
import { popCore } from '../helpers/clients.js';
import { eventually } from '../helpers/eventually.js';
import { CLI, PROJECT_ROOT, cleanEnv, groupAlive, listeningUrl, start } from '../helpers/spawn.js';

test('npm start serves GetResourceDirectory to pop-core with the default key it prints', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-npm-start-'));
  const dataDirExisted = existsSync(join(PROJECT_ROOT, 'data'));
  const proc = start('npm', ['start', '--', '--port', '0', '--db', join(dir, 'rdmc.sqlite')], {
    env: cleanEnv({ RDMC_LOG_LEVEL: 'info' }),
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
    await eventually('npm and its children to exit', () => !groupAlive(pid), { intervalMs: 20 });
    await rm(dir, { recursive: true, force: true });
  }
  assert.equal(existsSync(join(PROJECT_ROOT, 'data')), dataDirExisted, 'npm start -- --db must not write ./data');
});

test('rdmc serve with two bad values exits 2 (a usage error) naming both problems on stderr', async () => {
  const proc = start(process.execPath, [CLI, 'serve', '--port', '70000'], { env: cleanEnv({ RDMC_ASYNC_MODE: 'sometimes' }) });
  const { code } = await proc.exited;
  assert.equal(code, 2);
  assert.equal(
    proc.stderr(),
    'rdmc: invalid configuration:\n' +
      '  - port (--port, RDMC_PORT): Number must be less than or equal to 65535\n' +
      "  - asyncMode (--async-mode, RDMC_ASYNC_MODE): Invalid enum value. Expected 'immediate' | 'manual' | 'delay', received 'sometimes'\n",
  );
  assert.doesNotMatch(proc.stdout(), /listening/);
});

test('an unknown command exits 2 with the usage', async () => {
  const proc = start(process.execPath, [CLI, 'launch'], { env: cleanEnv() });
  assert.equal((await proc.exited).code, 2);
  assert.match(proc.stderr(), /^rdmc: unknown command "launch"\nusage: rdmc <command> \[flags\]\n\n  rdmc serve /);
});

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv(env) });
  const { code } = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

test('--version prints the package version; every command answers --help with its usage', async () => {
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(await run(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  const overview = await run(['--help']);
  assert.equal(overview.code, 0);
  for (const command of ['serve', 'worker', 'call', 'export', 'import', 'backup']) {
    assert.match(overview.stdout, new RegExp(`^  rdmc ${command} `, 'm'));
    const help = await run([command, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^usage: rdmc ${command} `));
  }
  // serve's help is generated from the settings table: every flag and variable is in it.
  const serveHelp = (await run(['serve', '--help'])).stdout;
  for (const s of Object.values(SETTINGS) as Array<{ flag?: string; variable?: string }>) {
    if (s.flag) assert.ok(serveHelp.includes(`--${s.flag}`), s.flag);
    if (s.variable) assert.ok(serveHelp.includes(s.variable), s.variable);
  }
});

test('a failed start prints one line naming the cause, no stack trace; a missing --db folder is not created', async () => {
  const server = await startTestServer();
  try {
    const busy = await run(['serve', '--port', String(server.port), '--db', ':memory:']);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /^rdmc: failed to start: listen EADDRINUSE[^\n]*\n$/);
  } finally {
    await server.stop();
  }
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-cli-'));
  try {
    const db = join(dir, 'missing', 'x.sqlite');
    const refused = await run(['serve', '--port', '0', '--db', db], { RDMC_ACCESS_KEYS: 'garbage' });
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      'rdmc: invalid configuration:\n' +
        '  - accessKeys (RDMC_ACCESS_KEYS): entry 1 must be AccessKeyId:AccessKeySecret:AccountId[:RamUserName]\n' +
        `  - db (--db, RDMC_DB): the folder ${join(dir, 'missing')} does not exist\n`,
    );
    assert.equal(existsSync(join(dir, 'missing')), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('rdmc call signs v3 (or v1 with --v1), sends repeated flags as a list, and exits 1 with Code: Message', async () => {
  const server = await startTestServer();
  const env = { RDMC_ENDPOINT: server.url, ALIBABA_CLOUD_ACCESS_KEY_ID: KEYS.main.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEYS.main.accessKeySecret };
  try {
    const dir = await run(['call', 'GetResourceDirectory'], env);
    assert.equal(dir.code, 0, dir.stderr);
    assert.equal(JSON.parse(dir.stdout).ResourceDirectory.MasterAccountId, KEYS.main.accountId);

    const added = await run(
      ['call', 'AddMessageContact', '--v1', '--Name', 'tom', '--EmailAddress', 'tom@example.com', '--Title', 'TechnicalDirector',
        '--MessageTypes', 'AccountExpenses', '--MessageTypes', 'SecurityMessage'],
      env,
    );
    assert.equal(added.code, 0, added.stderr);
    const contactId = JSON.parse(added.stdout).Contact.ContactId;
    const got = JSON.parse((await run(['call', 'GetMessageContact', `--ContactId=${contactId}`], env)).stdout);
    assert.deepEqual(got.Contact.MessageTypes, ['AccountExpenses', 'SecurityMessage']);

    const missing = await run(['call', 'GetMessageContact', '--ContactId', 'c-0000000000000000'], env);
    assert.deepEqual({ code: missing.code, stdout: missing.stdout }, { code: 1, stdout: '' });
    assert.equal(missing.stderr, 'EntityNotExists.Contact: This Contact does not exist.\n');

    const wrongKey = await run(['call', 'GetResourceDirectory', '--access-key-secret', 'nope'], env);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /^SignatureDoesNotMatch: /);

    const usage = await run(['call', 'GetResourceDirectory', '--bogus', 'x'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^rdmc call: --bogus: unknown flag/);
  } finally {
    await server.stop();
  }
});
