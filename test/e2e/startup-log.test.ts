import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../helpers/eventually.js';
import { CLI, cleanEnv, listeningUrl, start, type Spawned } from '../helpers/spawn.js';

const records = (p: Spawned) =>
  p
    .stdout()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function stop(p: Spawned): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

test('start-up facts are JSON log records on stdout: the development key (warn), the database and the address (info)', async () => {
  const p = start(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:', '--log-level', 'info'], { env: cleanEnv() });
  try {
    const url = await listeningUrl(p);
    const [devKey, userKey, database, listening] = records(p);
    assert.deepEqual([devKey?.level, devKey?.accessKeyId, devKey?.accountId], [40, 'rdmc-default-key', '1000000000000001']);
    assert.match(String(devKey?.msg), /^using the well-known development key AccessKeyId=rdmc-default-key AccessKeySecret=rdmc-default-secret \(account 1000000000000001\)/);
    assert.deepEqual([userKey?.level, userKey?.accessKeyId, userKey?.accountId], [40, 'rdmc-default-user-key', '1000000000000001']);
    assert.match(String(userKey?.msg), /^using the well-known development key AccessKeyId=rdmc-default-user-key AccessKeySecret=rdmc-default-user-secret \(RAM user admin of account 1000000000000001\)/);
    assert.deepEqual([database?.level, database?.db, database?.asyncMode, database?.worker], [30, ':memory:', 'delay', true]);
    assert.deepEqual([listening?.level, listening?.url, listening?.msg], [30, url, `listening on ${url}`]);
  } finally {
    await stop(p);
  }
  // Every line the process wrote, its shutdown's included, is a record.
  assert.ok(records(p).every((r) => r.service === 'rdmc'));
  assert.equal(p.stderr(), '');
});

test('serving HTTPS too, each address has its listening record', async () => {
  const caDir = await mkdtemp(join(tmpdir(), 'rdmc-startup-tls-'));
  const p = start(process.execPath, [CLI, 'serve', '--port', '0', '--tls-port', '0', '--tls-ca-dir', caDir, '--db', ':memory:', '--log-level', 'info'], {
    env: cleanEnv(),
  });
  try {
    const url = await listeningUrl(p);
    const listening = await eventually('both listening records', () => {
      const found = records(p).filter((r) => String(r.msg).startsWith('listening on '));
      return found.length === 2 ? found : undefined;
    });
    const [plain, secure] = listening.map((r) => [r.level, r.url, r.msg]);
    assert.deepEqual(plain, [30, url, `listening on ${url}`]);
    const https = String(secure![1]);
    assert.match(https, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(secure, [30, https, `listening on ${https}`]);
  } finally {
    await stop(p);
    await rm(caDir, { recursive: true, force: true });
  }
  assert.equal(p.stderr(), '');
});

test('the log level holds for start-up too: at warn, the development key warning alone', async () => {
  const warn = start(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:', '--log-level', 'warn'], { env: cleanEnv() });
  try {
    // The warnings are written once the server listens, one line per development key (the root
    // key and the RAM user's): wait for both lines, or a slow machine stops it between them.
    await eventually('both warnings', () => warn.stdout().split('\n').length > 2);
  } finally {
    await stop(warn);
  }
  const written = records(warn);
  assert.deepEqual(written.map((r) => r.level), [40, 40]);
  assert.match(String(written[0]!.msg), /^using the well-known development key /);
  assert.equal(warn.stderr(), '');
});

test('a node with time travel on says so at start, as a warning', async () => {
  const p = start(process.execPath, [CLI, 'serve', '--port', '0', '--db', ':memory:', '--log-level', 'warn', '--time-travel'], { env: cleanEnv() });
  try {
    const warning = await eventually('the time-travel warning', () => records(p).find((r) => r.timeTravel === true));
    assert.equal(warning.level, 40);
    assert.match(String(warning.msg), /^time travel is on \(RDMC_TIME_TRAVEL\): anyone with admin access can move this node's clock/);
  } finally {
    await stop(p);
  }
});
