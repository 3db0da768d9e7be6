import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from '../helpers/spawn.js';

const RUNNER = fileURLToPath(new URL('../run-postgres.js', import.meta.url));
// Nothing listens on port 1: PostgreSQL is "missing" without waiting for a timeout.
const MISSING = { RDMC_TEST_POSTGRES_URL: 'postgres://postgres@127.0.0.1:1/test' };

const run = (env: Record<string, string>) => spawnSync(process.execPath, [RUNNER], { env: cleanEnv(env), encoding: 'utf8' });

test('npm run test:postgres without PostgreSQL: skips loudly on a laptop, fails under CI', () => {
  const laptop = run({ ...MISSING, CI: '' });
  assert.equal(laptop.status, 0);
  assert.match(laptop.stderr, /SKIPPED/);
  const ci = run({ ...MISSING, CI: 'true' });
  assert.equal(ci.status, 1);
  assert.match(ci.stderr, /CI requires it/);
});
