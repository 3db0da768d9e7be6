import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { DEFAULT_ACCESS_KEY } from '../../src/config/settings.js';
import { startTestServer } from '../helpers/server.js';
import { CLI, PROJECT_ROOT, cleanEnv, outsideTestRunner, start } from '../helpers/spawn.js';

const run = promisify(execFile);

/**
 * The README's JavaScript snippets run as pasted: every block that names its file
 * (`// first-call.mjs`) is saved under that name and run with node against a real server,
 * only the address changed. The files live in test-artifacts/ inside the checkout, so the
 * packages resolve from its node_modules and `rd-message-contacts` from the package itself.
 */
test('the README snippets run as pasted into .mjs files', async () => {
  const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```js\n\/\/ ([\w.-]+\.mjs)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ file: m[1]!, code: m[2]! }));
  assert.deepEqual(snippets.map((s) => s.file), ['rdmc.test.mjs', 'first-call.mjs', 'add-contact.mjs']);
  const server = await startTestServer({ accessKeys: [{ ...DEFAULT_ACCESS_KEY }] });
  const dir = join(PROJECT_ROOT, 'test-artifacts', `snippets-${process.pid}`);
  await mkdir(dir, { recursive: true });
  try {
    for (const { file, code } of snippets) {
      await writeFile(join(dir, file), code.replaceAll('127.0.0.1:8080', new URL(server.url).host));
      const args = file.endsWith('.test.mjs') ? ['--test', file] : [file];
      const { stdout } = await run(process.execPath, args, { cwd: dir, env: outsideTestRunner() });
      if (file === 'first-call.mjs') assert.match(stdout, /^r-[A-Za-z0-9]{6}\n$/);
      if (file === 'add-contact.mjs') assert.match(stdout, /^c-[A-Za-z0-9]{16}\n$/);
      if (file === 'rdmc.test.mjs') assert.match(stdout, /^# pass 1$/m);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

/**
 * The quick start's `rdmc call` lines run as written, in order, against a server with the
 * development key: each exits 0, or with the code and error its `# exits N: Code` comment says.
 */
test("the README quick start's rdmc call lines answer as their comments say", async () => {
  const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const block = /Call it from a second shell[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  const lines = block.replace(/\\\n\s*/g, '').split('\n').filter((l) => l.startsWith('npm run rdmc -- call '));
  assert.equal(lines.length, 3);
  const server = await startTestServer({ accessKeys: [{ ...DEFAULT_ACCESS_KEY }] });
  try {
    for (const line of lines) {
      const [command, comment] = line.split(/\s+#\s+/);
      const args = command!.slice('npm run rdmc -- '.length).trim().split(/\s+/);
      const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv({ RDMC_ENDPOINT: server.url }) });
      const { code } = await proc.exited;
      const expected = comment === undefined ? null : /^exits (\d+): ([\w.]+): /.exec(comment);
      if (expected) {
        assert.equal(code, Number(expected[1]), line);
        assert.ok(proc.stderr().startsWith(`${expected[2]}: `), `${line}\n${proc.stderr()}`);
      } else assert.equal(code, 0, `${line}\n${proc.stderr()}`);
    }
  } finally {
    await server.stop();
  }
});
