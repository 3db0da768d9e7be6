import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresReachable, warnPostgresMissing } from './helpers/database.js';

/**
 * `npm run test:postgres`: the whole end-to-end suite again, each server on a fresh
 * PostgreSQL database. Without a reachable PostgreSQL it says so loudly and runs nothing;
 * under CI it fails.
 */
async function main(): Promise<number> {
  if (!(await postgresReachable())) {
    try {
      warnPostgresMissing('the end-to-end suite on PostgreSQL');
    } catch (err) {
      console.error((err as Error).message);
      return 1;
    }
    return 0;
  }
  const e2e = fileURLToPath(new URL('./e2e/', import.meta.url));
  const files = (await readdir(e2e)).filter((f) => f.endsWith('.test.js')).map((f) => join(e2e, f));
  const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
    stdio: 'inherit',
    env: { ...process.env, RDMC_TEST_BACKEND: 'postgres' },
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

process.exitCode = await main();
