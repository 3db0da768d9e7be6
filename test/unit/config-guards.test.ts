import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, resolveConfig } from '../../src/config/load.js';
import { problemsOf } from '../helpers/config-problems.js';

test('URL settings take http:// and https:// only, each refusal reported with the other problems', () => {
  const env = { RDMC_PUBLIC_URL: 'ftp://x', RDMC_SMS_WEBHOOK_URL: 'file:///tmp/sms', RDMC_SMS_WEBHOOK_SECRET: 'long enough', RDMC_PORT: 'x' };
  assert.deepEqual(problemsOf(() => loadConfig([], env)).sort(), [
    'port (--port, RDMC_PORT): "x" is not a whole number',
    'publicUrl (RDMC_PUBLIC_URL): must be an http:// or https:// URL',
    'smsWebhookUrl (RDMC_SMS_WEBHOOK_URL): must be an http:// or https:// URL',
  ]);
  assert.deepEqual(problemsOf(() => resolveConfig({ publicUrl: 'javascript:alert(1)' })), ['publicUrl (RDMC_PUBLIC_URL): must be an http:// or https:// URL']);
  const fine = loadConfig([], { RDMC_PUBLIC_URL: 'https://rdmc.example.com/base', RDMC_SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms', RDMC_SMS_WEBHOOK_SECRET: 'long enough' });
  assert.equal(fine.publicUrl, 'https://rdmc.example.com/base');
});

test('serve refuses the development key on a non-loopback address unless --allow-dev-key (or RDMC_ALLOW_DEV_KEY) says yes', () => {
  const refusal = /^host \(--host, RDMC_HOST\): 0\.0\.0\.0 is not a loopback address, and the well-known development key rdmc-default-key .* allowDevKey \(--allow-dev-key, RDMC_ALLOW_DEV_KEY\)/;
  const [problem, ...more] = problemsOf(() => loadConfig(['--host', '0.0.0.0'], {}));
  assert.match(problem ?? '', refusal);
  assert.deepEqual(more, []);
  for (const host of ['::', '192.0.2.7', 'rdmc.lan']) assert.equal(problemsOf(() => loadConfig(['--host', host], {})).length, 1, host);
  // Named explicitly, the key is just as well known.
  assert.equal(problemsOf(() => loadConfig([], { RDMC_HOST: '::', RDMC_ACCESS_KEYS: 'rdmc-default-key:rdmc-default-secret:1000000000000001' })).length, 1);
  assert.match(problemsOf(() => resolveConfig({ host: '0.0.0.0' }))[0] ?? '', refusal);

  assert.equal(loadConfig(['--host', '0.0.0.0', '--allow-dev-key'], {}).allowDevKey, true);
  assert.equal(loadConfig([], { RDMC_HOST: '0.0.0.0', RDMC_ALLOW_DEV_KEY: 'true' }).host, '0.0.0.0');
  assert.equal(loadConfig(['--host', '0.0.0.0'], { RDMC_ACCESS_KEYS: 'ak:sk:1234567890123456' }).host, '0.0.0.0');
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.equal(loadConfig(['--host', host], {}).host, host);
  // A worker answers no signed request: the key it holds opens nothing on its port.
  assert.equal(loadConfig(['--host', '0.0.0.0', '--db', 'postgres://db/rdmc'], {}, 'worker').host, '0.0.0.0');
});

test('a command reads its own settings: serve-only flags are unknown to worker, their variables left alone', () => {
  assert.deepEqual(problemsOf(() => loadConfig(['--loose'], {}, 'worker')), ['--loose: unknown flag (rdmc worker --help lists them)']);
  assert.deepEqual(problemsOf(() => loadConfig(['--allow-dev-key'], {}, 'worker')), ['--allow-dev-key: unknown flag (rdmc worker --help lists them)']);
  // One environment file for every node: a serve-only variable, even a bad one, is not the worker's.
  const worker = loadConfig([], { RDMC_LOOSE: 'true', RDMC_CONTACT_QUOTA: 'many', RDMC_JOB_BATCH_SIZE: '50' }, 'worker');
  assert.deepEqual([worker.loose, worker.contactQuota, worker.jobBatchSize], [false, 20, 50]);
  assert.equal(loadConfig(['--loose'], {}, 'serve').loose, true);
});
