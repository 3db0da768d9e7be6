import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SETTINGS, type Setting } from '../../src/config/settings.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv({ RDMC_ENDPOINT: 'http://127.0.0.1:9', ...env }) });
  const { code } = await proc.exited;
  return { code, stdout: proc.stdout(), stderr: proc.stderr() };
}

test('every usage error exits 2, whichever the command, with one message and nothing on stdout', async () => {
  const usageErrors: Array<[string[], RegExp]> = [
    [['launch'], /^rdmc: unknown command "launch"/],
    [['serve', '--prot', '1'], /--prot: unknown flag \(rdmc serve --help lists them\)/],
    [['serve', '--port', 'x', '--db', ':memory:'], /port \(--port, RDMC_PORT\): "x" is not a whole number/],
    [['serve', '--init'], /--init: needs a value/],
    [['worker', '--db', ':memory:'], /rdmc worker needs a shared database/],
    [['worker', '--loose'], /--loose: unknown flag \(rdmc worker --help lists them\)/],
    [['call', 'lowercase'], /^rdmc call: expected an action name/],
    [['call', 'GetResourceDirectory', '--bogus', 'x'], /^rdmc call: --bogus: unknown flag/],
    [['export', 'a.yaml', 'b.yaml'], /^rdmc export: expected one FILE, got 2/],
    [['import'], /^rdmc import: expected a FILE/],
    [['backup', '--nope'], /^rdmc backup: --nope: unknown flag/],
  ];
  for (const [args, message] of usageErrors) {
    const result = await run(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stdout, '', args.join(' '));
  }
});

test('serve refuses the development key on 0.0.0.0 with a usage error naming --allow-dev-key, and never listens', async () => {
  const refused = await run(['serve', '--host', '0.0.0.0', '--port', '0', '--db', ':memory:']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^rdmc: invalid configuration:\n  - host \(--host, RDMC_HOST\): 0\.0\.0\.0 is not a loopback address, and the well-known development key rdmc-default-key .*--allow-dev-key, RDMC_ALLOW_DEV_KEY/);
  assert.equal(refused.stdout, '');
  const viaEnv = await run(['serve', '--port', '0', '--db', ':memory:'], { RDMC_HOST: '::' });
  assert.equal(viaEnv.code, 2);
  assert.match(viaEnv.stderr, /:: is not a loopback address/);
});

test('rdmc worker --help lists the settings a worker uses, not the API\'s; serve --help lists them all', async () => {
  const worker = await run(['worker', '--help']);
  const serve = await run(['serve', '--help']);
  assert.equal(worker.code, 0);
  for (const s of Object.values(SETTINGS) as Setting[]) {
    for (const name of [s.flag && `--${s.flag}`, s.variable].filter((n): n is string => Boolean(n))) {
      assert.equal(serve.stdout.includes(name), s.only !== 'worker', `serve --help and ${name}`);
      assert.equal(worker.stdout.includes(name), s.only !== 'serve', `worker --help and ${name}`);
    }
  }
  for (const serveOnly of ['--contact-quota', '--loose', '--no-bootstrap', '--throttle-rate', '--allow-dev-key', 'RDMC_REQUEST_DEADLINE_MS']) {
    assert.ok(!worker.stdout.includes(serveOnly), serveOnly);
  }
  assert.match(worker.stdout, /--db VALUE, RDMC_DB/);
});
