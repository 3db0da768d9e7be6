import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT, outsideTestRunner } from '../helpers/spawn.js';

const run = promisify(execFile);

/** What a user's `node:test` file does with the installed package: start rdmc on port 0 and call it with a real client. */
const USER_TEST = `
const { test } = require('node:test');
const assert = require('node:assert/strict');
const RPCClient = require('@alicloud/pop-core');

test('rdmc starts in my test suite and answers a real client', async () => {
  const { startServer, DEFAULT_ACCESS_KEY } = await import('rd-message-contacts');
  const rdmc = await startServer({ port: 0, db: ':memory:', asyncMode: 'immediate', logLevel: 'silent' });
  try {
    const client = new RPCClient({ ...DEFAULT_ACCESS_KEY, endpoint: rdmc.url, apiVersion: '2022-04-19' });
    const { ResourceDirectory } = await client.request('GetResourceDirectory', {}, { method: 'POST' });
    assert.equal(ResourceDirectory.MasterAccountId, DEFAULT_ACCESS_KEY.accountId);
  } finally {
    await rdmc.close();
  }
});
`;

/**
 * The package as a user gets it: `npm pack`, then the tarball installed into a fresh
 * CommonJS project (what `npm init -y` writes), with its dependencies from the npm cache (or the registry where the cache lacks one).
 * Install scripts are off (no network to fetch a prebuilt SQLite addon), so the addon this
 * checkout built is copied in: the same version, for the same Node.
 */
test('npm pack, install the tarball in a fresh project: npx rdmc --version and a node:test file using startServer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-package-'));
  try {
    const { version } = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    // dist/ is built already (npm test builds first): packing must not rebuild it under the running tests.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: PROJECT_ROOT });
    const tarball = join(dir, stdout.trim().split('\n').pop()!);
    const app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'commonjs', private: true }));
    const popCore = JSON.parse(await readFile(join(PROJECT_ROOT, 'node_modules/@alicloud/pop-core/package.json'), 'utf8')).version;
    await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball, `@alicloud/pop-core@${popCore}`], { cwd: app });
    const addon = 'node_modules/better-sqlite3/build/Release';
    await mkdir(join(app, addon), { recursive: true });
    await copyFile(join(PROJECT_ROOT, addon, 'better_sqlite3.node'), join(app, addon, 'better_sqlite3.node'));

    const installed = JSON.parse(await readFile(join(app, 'node_modules/rd-message-contacts/package.json'), 'utf8'));
    assert.equal(installed.private, undefined);
    assert.equal((await run('npx', ['--no-install', 'rdmc', '--version'], { cwd: app })).stdout, `${version}\n`);
    await writeFile(join(app, 'rdmc.test.js'), USER_TEST);
    const result = await run(process.execPath, ['--test', 'rdmc.test.js'], { cwd: app, env: outsideTestRunner() });
    assert.match(result.stdout, /^# pass 1$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
