import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig, resolveConfig } from '../../src/config/load.js';
import { DEFAULT_ACCESS_KEY, type Config } from '../../src/config/schema.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.problems;
  }
  assert.fail('expected the configuration to be refused');
}

test('defaults: loopback, port 8080, ./data, the well-known development key, strict, delay mode', () => {
  const config = loadConfig([], {});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8080);
  assert.equal(config.db, './data/rdmc.sqlite');
  assert.deepEqual(config.accessKeys, [DEFAULT_ACCESS_KEY]);
  assert.equal(config.bootstrap, true);
  assert.equal(config.worker, true);
  assert.equal(config.loose, false);
  assert.equal(config.asyncMode, 'delay');
  assert.equal(config.contactQuota, 20);
});

const ENV = {
  RDMC_PORT: '9000',
  RDMC_DB: ':memory:',
  RDMC_ASYNC_MODE: 'manual',
  RDMC_LOOSE: 'true',
  RDMC_WORKER: 'off',
  RDMC_ACCESS_KEYS: 'ak1:sk1:1234567890123456, ak2:sk2:6543210987654321',
};
const settings = (c: Config) => ({ port: c.port, db: c.db, asyncMode: c.asyncMode, loose: c.loose, worker: c.worker });

test('environment variables override the defaults', () => {
  const config = loadConfig([], ENV);
  assert.deepEqual(settings(config), { port: 9000, db: ':memory:', asyncMode: 'manual', loose: true, worker: false });
  assert.deepEqual(config.accessKeys, [
    { accessKeyId: 'ak1', accessKeySecret: 'sk1', accountId: '1234567890123456' },
    { accessKeyId: 'ak2', accessKeySecret: 'sk2', accountId: '6543210987654321' },
  ]);
});

test('flags override the environment', () => {
  const flags = ['--port', '0', '--db', '/tmp/x.sqlite', '--async-mode', 'immediate', '--no-worker', '--loose'];
  const config = loadConfig(flags, { ...ENV, RDMC_LOOSE: 'false', RDMC_WORKER: 'true' });
  assert.deepEqual(settings(config), { port: 0, db: '/tmp/x.sqlite', asyncMode: 'immediate', loose: true, worker: false });
});

test('every bad value is named at once, from flags and environment alike', () => {
  const problems = problemsOf(() =>
    loadConfig(['--port', '70000', '--async-mode', 'sometimes'], {
      RDMC_LOOSE: 'maybe',
      RDMC_ACCESS_KEYS: 'ak1:sk1',
      RDMC_CONTACT_QUOTA: '0',
    }),
  );
  const text = problems.join('\n');
  assert.match(text, /^port: /m);
  assert.match(text, /^asyncMode: /m);
  assert.match(text, /^RDMC_LOOSE: expected true or false, got "maybe"$/m);
  assert.match(text, /^RDMC_ACCESS_KEYS: entry 1 must be AccessKeyId:AccessKeySecret:AccountId$/m);
  assert.match(text, /^contactQuota: /m);
  assert.match(text, /^accessKeys\.0\.accountId: the account ID must be 16 digits$/m);
});

test('the ConfigError message lists each problem on its own line', () => {
  const problems = problemsOf(() => loadConfig(['--port', 'abc', '--contact-quota', '0'], {}));
  assert.equal(problems.length, 2, problems.join('\n'));
  const err = new ConfigError(problems);
  assert.equal(err.message, `invalid configuration:\n  - ${problems[0]}\n  - ${problems[1]}`);
});

test('an unknown flag is a problem, reported together with environment problems', () => {
  const problems = problemsOf(() => loadConfig(['--prot', '1'], { RDMC_WORKER: 'sometimes' }));
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /^RDMC_WORKER: /);
  assert.match(problems[1]!, /--prot/);
});

test('duplicate AccessKeyIds are refused', () => {
  const problems = problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'ak:s1:1234567890123456,ak:s2:6543210987654321' }));
  assert.deepEqual(problems, ['accessKeys: an AccessKeyId appears twice']);
});

test('resolveConfig (what startServer uses) refuses bad programmatic input the same way', () => {
  const problems = problemsOf(() => resolveConfig({ port: -1, logLevel: 'loud' as never }));
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems.join('\n'), /^port: /m);
  assert.match(problems.join('\n'), /^logLevel: /m);
});
