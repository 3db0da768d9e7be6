import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../helpers/spawn.js';

const run = promisify(execFile);
const TSC = join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');

/** A user's TypeScript file against the published types: the facade, its admin API, its clock. */
const USER_FILE = `
import { ManualClock, startServer, type Clock, type OutboxMessage, type RunningServer } from 'rd-message-contacts';

const clock: Clock = new ManualClock();
await using rdmc: RunningServer = await startServer({ port: 0, db: ':memory:', asyncMode: 'immediate', logLevel: 'silent', bootstrapDirectoryId: 'rd-Fixed1' }, { clock });
const url: string = rdmc.url;
const key: string = rdmc.credentials.accessKeyId;
const answer: Record<string, any> = await rdmc.client.call('GetResourceDirectory', {}, { signature: 'v1' });
await rdmc.admin.reset();
const message: OutboxMessage = await rdmc.admin.outbox.waitForMessage({ to: 'tom@example.com', kind: 'verification', timeoutMs: 1000 });
const released: number = await rdmc.admin.runJobs();
await rdmc.admin.asyncMode.set('manual', 0);
await rdmc.admin.seed({ accounts: 3 });
await rdmc.admin.importState(await rdmc.admin.exportState(), { mode: 'apply' });
await rdmc.admin.importState('./state.yaml');
const later: Date = await rdmc.admin.time.advance(60_000);
console.log(url, key, answer, message.Link, released, later, rdmc.https?.port);
`;

/** What must not compile: the parts inside a running server. */
const INSIDE_FILE = `
import { startServer } from 'rd-message-contacts';
const rdmc = await startServer();
console.log(rdmc.store, rdmc.services, rdmc.config);
`;

/** Every .d.ts the package's types entry reaches through relative imports. */
async function reachable(entry: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    const text = await readFile(file, 'utf8');
    files.set(file, text);
    for (const m of text.matchAll(/from '(\.[^']+)'|import\('(\.[^']+)'\)/g)) {
      const next = resolve(dirname(file), (m[1] ?? m[2])!.replace(/\.js$/, '.d.ts'));
      if (existsSync(next)) todo.push(next);
    }
  }
  return files;
}

/**
 * The packed package's published types: a user's file using the facade compiles against them
 * (strict, `await using`), one that reaches for the store or the services does not, and no
 * declaration the package's types reach names an inside part. The tarball is unpacked into
 * a project in test-artifacts/, whose dependencies resolve from this checkout's node_modules.
 */
test('the packed types: the facade compiles in a user project, its insides do not', async () => {
  const dir = join(PROJECT_ROOT, 'test-artifacts', `facade-types-${process.pid}`);
  const pkg = join(dir, 'node_modules/rd-message-contacts');
  await mkdir(pkg, { recursive: true });
  try {
    // dist/ is built already (npm test builds first): packing must not rebuild it under the running tests.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: PROJECT_ROOT });
    await run('tar', ['-xzf', join(dir, stdout.trim().split('\n').pop()!), '-C', pkg, '--strip-components=1']);
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'));

    const published = await reachable(join(pkg, manifest.types));
    assert.ok(published.size > 3, [...published.keys()].join('\n'));
    for (const [file, text] of published) {
      assert.doesNotMatch(text, /\b(Store|Services|IdSource|Tx|NodeInternals)\b|storage\/|services\/index|facade\/internals/, file);
    }

    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    const compilerOptions = { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, lib: ['es2022', 'esnext.disposable'], types: ['node'] };
    const tsc = async (file: string, text: string) => {
      await writeFile(join(dir, file), text);
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [file] }));
      return run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
        () => ({ code: 0, stdout: '' }),
        (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
      );
    };
    const user = await tsc('user.ts', USER_FILE);
    assert.equal(user.code, 0, user.stdout);
    const inside = await tsc('inside.ts', INSIDE_FILE);
    assert.notEqual(inside.code, 0);
    for (const name of ['store', 'services', 'config']) assert.match(inside.stdout, new RegExp(`error TS2339: Property '${name}' does not exist on type 'RunningServer'`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
