import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, resolveConfig } from '../../src/config/load.js';
import { DEFAULT_ACCESS_KEY, DEFAULT_RAM_USER_KEY, type Config } from '../../src/config/schema.js';
import { settingsMarkdown } from '../../src/config/settings.js';
import { backoffMs } from '../../src/jobs/worker.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';
import { problemsOf } from '../helpers/config-problems.js';

test('defaults: loopback, port 8080, ./data, the well-known development key, strict, delay mode', () => {
  const config = loadConfig([], {});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 8080);
  assert.equal(config.db, './data/rdmc.sqlite');
  assert.deepEqual(config.accessKeys, [DEFAULT_ACCESS_KEY, DEFAULT_RAM_USER_KEY]);
  assert.equal(config.bootstrap, true);
  assert.equal(config.worker, true);
  assert.equal(config.loose, false);
  assert.equal(config.asyncMode, 'delay');
  assert.equal(config.contactQuota, 20);
  assert.equal(config.folderQuota, 1000);
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
  assert.match(text, /^port \(--port, RDMC_PORT\): /m);
  assert.match(text, /^asyncMode \(--async-mode, RDMC_ASYNC_MODE\): /m);
  assert.match(text, /^loose \(--loose, RDMC_LOOSE\): expected true or false, got "maybe"$/m);
  assert.match(text, /^accessKeys \(RDMC_ACCESS_KEYS\): entry 1 must be AccessKeyId:AccessKeySecret:AccountId\[:RamUserName\]$/m);
  assert.match(text, /^contactQuota \(--contact-quota, RDMC_CONTACT_QUOTA\): /m);
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
  assert.match(problems[0]!, /^worker \(--no-worker, RDMC_WORKER\): /);
  assert.equal(problems[1], '--prot: unknown flag (rdmc serve --help lists them)');
});

test('duplicate AccessKeyIds are refused', () => {
  const problems = problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'ak:s1:1234567890123456,ak:s2:6543210987654321' }));
  assert.deepEqual(problems, ['accessKeys (RDMC_ACCESS_KEYS): an AccessKeyId appears twice']);
});

test('resolveConfig (what startServer uses) refuses bad programmatic input the same way', () => {
  const problems = problemsOf(() => resolveConfig({ port: -1, logLevel: 'loud' as never }));
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems.join('\n'), /^port \(--port, RDMC_PORT\): /m);
  assert.match(problems.join('\n'), /^logLevel \(--log-level, RDMC_LOG_LEVEL\): /m);
});

test('a value of the wrong form names the setting, its flag and its variable', () => {
  assert.deepEqual(problemsOf(() => loadConfig(['--port', 'abc'], {})), ['port (--port, RDMC_PORT): "abc" is not a whole number']);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_PORT: '80x' })), ['port (--port, RDMC_PORT): "80x" is not a whole number']);
  assert.deepEqual(problemsOf(() => loadConfig(['--port'], {})), ['--port: needs a value']);
});

test('RDMC_ACCESS_KEYS: a malformed entry and a stray comma are each named once, without schema paths', () => {
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'garbage' })), [
    'accessKeys (RDMC_ACCESS_KEYS): entry 1 must be AccessKeyId:AccessKeySecret:AccountId[:RamUserName]',
  ]);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'ak:sk:1234567890123456,' })), [
    'accessKeys (RDMC_ACCESS_KEYS): entry 2 is empty (a stray comma?)',
  ]);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'ak:sk:123' })), [
    'accessKeys (RDMC_ACCESS_KEYS): entry 1: the AccountId must be 16 digits',
  ]);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'ak:sk:1234567890123456:a:b' })), [
    'accessKeys (RDMC_ACCESS_KEYS): entry 1 must be AccessKeyId:AccessKeySecret:AccountId[:RamUserName]',
  ]);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'ak:sk:1234567890123456:no/slash' })), [
    'accessKeys (RDMC_ACCESS_KEYS): entry 1: a RAM user name is 1 to 64 letters, digits, ".", "_" or "-"',
  ]);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_ACCESS_KEYS: 'STS.abc:sk:1234567890123456' })), [
    'accessKeys (RDMC_ACCESS_KEYS): entry 1: an AccessKeyId starting with "STS." is reserved for STS sessions',
  ]);
});

test('RDMC_ACCESS_KEYS: a fourth field makes the key a RAM user\'s key of the account', () => {
  const config = loadConfig([], { RDMC_ACCESS_KEYS: 'root:s1:1234567890123456,ops:s2:1234567890123456:ops-bot' });
  assert.deepEqual(config.accessKeys, [
    { accessKeyId: 'root', accessKeySecret: 's1', accountId: '1234567890123456' },
    { accessKeyId: 'ops', accessKeySecret: 's2', accountId: '1234567890123456', userName: 'ops-bot' },
  ]);
});

test('a database file in a folder that does not exist is refused, and no folder is made', () => {
  const path = '/no/such/dir/x.sqlite';
  assert.deepEqual(problemsOf(() => loadConfig(['--db', path], {})), ['db (--db, RDMC_DB): the folder /no/such/dir does not exist']);
  assert.deepEqual(problemsOf(() => resolveConfig({ db: path })), ['db (--db, RDMC_DB): the folder /no/such/dir does not exist']);
  assert.equal(existsSync('/no'), false);
});

test("the README's Configuration table is the settings table, row for row", () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const table = /^\| Flag \| Variable \|[^\n]*\n(?:\|[^\n]*\n)*/m.exec(readme)?.[0].trimEnd();
  assert.equal(table, settingsMarkdown());
});

test('the attempt limit and the backoff are settings: defaults, variables, flags', () => {
  const defaults = loadConfig([], {});
  assert.deepEqual([defaults.jobMaxAttempts, defaults.jobRetryBaseMs, defaults.jobRetryMaxMs], [10, 1_000, 300_000]);
  const env = loadConfig([], { RDMC_JOB_MAX_ATTEMPTS: '3', RDMC_JOB_RETRY_BASE_MS: '200', RDMC_JOB_RETRY_MAX_MS: '60000' });
  assert.deepEqual([env.jobMaxAttempts, env.jobRetryBaseMs, env.jobRetryMaxMs], [3, 200, 60_000]);
  const flags = loadConfig(['--job-max-attempts', '50', '--job-retry-base-ms', '5000', '--job-retry-max-ms', '3600000'], { RDMC_JOB_MAX_ATTEMPTS: '3' });
  assert.deepEqual([flags.jobMaxAttempts, flags.jobRetryBaseMs, flags.jobRetryMaxMs], [50, 5_000, 3_600_000]);
});

test('attempt limit and backoff settings out of range are refused, naming flag and variable', () => {
  assert.deepEqual(problemsOf(() => loadConfig(['--job-max-attempts', '0'], {})), [
    'jobMaxAttempts (--job-max-attempts, RDMC_JOB_MAX_ATTEMPTS): Number must be greater than or equal to 1',
  ]);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_JOB_MAX_ATTEMPTS: 'many' })).length, 1);
  assert.deepEqual(problemsOf(() => loadConfig([], { RDMC_JOB_RETRY_BASE_MS: '10000', RDMC_JOB_RETRY_MAX_MS: '5000' })), [
    'jobRetryMaxMs (--job-retry-max-ms, RDMC_JOB_RETRY_MAX_MS): must be at least jobRetryBaseMs (--job-retry-base-ms, RDMC_JOB_RETRY_BASE_MS)',
  ]);
});

test('backoff doubles from the base up to the most, without overflowing on a large attempt count', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffMs(n, 100, 1_000)), [100, 200, 400, 800, 1_000]);
  assert.equal(backoffMs(1_000, 1_000, 300_000), 300_000);
});

test('retention periods of deletion records and send counters are settings; send counters outlive the day that counts them', () => {
  const defaults = loadConfig([], {});
  assert.deepEqual([defaults.retentionDeletionRecordsMs, defaults.retentionSendCountersMs], [30 * 86_400_000, 86_400_000]);
  const env = loadConfig([], { RDMC_RETENTION_DELETION_RECORDS_MS: '3600000', RDMC_RETENTION_SEND_COUNTERS_MS: '172800000' });
  assert.deepEqual([env.retentionDeletionRecordsMs, env.retentionSendCountersMs], [3_600_000, 172_800_000]);
  const [problem] = problemsOf(() => loadConfig([], { RDMC_RETENTION_SEND_COUNTERS_MS: '3600000' }));
  assert.match(problem!, /RDMC_RETENTION_SEND_COUNTERS_MS/);
});

test('pinned bootstrap IDs and time travel: unset by default, from variables and flags, IDs of the wrong shape refused', () => {
  const defaults = loadConfig([], {});
  assert.deepEqual([defaults.bootstrapDirectoryId, defaults.bootstrapRootFolderId, defaults.timeTravel], [undefined, undefined, undefined]);
  const env = loadConfig([], { RDMC_BOOTSTRAP_DIRECTORY_ID: 'rd-Abc123', RDMC_BOOTSTRAP_ROOT_FOLDER_ID: 'r-Xyz789', RDMC_TIME_TRAVEL: 'false' });
  assert.deepEqual([env.bootstrapDirectoryId, env.bootstrapRootFolderId, env.timeTravel], ['rd-Abc123', 'r-Xyz789', false]);
  const flags = loadConfig(['--bootstrap-directory-id', 'rd-Flag01', '--bootstrap-root-folder-id', 'r-Flag02', '--time-travel'], { RDMC_BOOTSTRAP_DIRECTORY_ID: 'rd-Abc123' });
  assert.deepEqual([flags.bootstrapDirectoryId, flags.bootstrapRootFolderId, flags.timeTravel], ['rd-Flag01', 'r-Flag02', true]);
  assert.deepEqual(problemsOf(() => loadConfig(['--bootstrap-directory-id', 'rd-short', '--bootstrap-root-folder-id', 'fd-AAAAAAAAAA'], {})), [
    'bootstrapDirectoryId (--bootstrap-directory-id, RDMC_BOOTSTRAP_DIRECTORY_ID): must be rd- and 6 letters or digits',
    'bootstrapRootFolderId (--bootstrap-root-folder-id, RDMC_BOOTSTRAP_ROOT_FOLDER_ID): must be r- and 6 letters or digits',
  ]);
  assert.deepEqual(problemsOf(() => resolveConfig({ bootstrapDirectoryId: 'rd-bad!!!' })), [
    'bootstrapDirectoryId (--bootstrap-directory-id, RDMC_BOOTSTRAP_DIRECTORY_ID): must be rd- and 6 letters or digits',
  ]);
});
