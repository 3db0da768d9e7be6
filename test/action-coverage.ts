import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_VERSIONS } from '../src/api/actions.js';

/**
 * Action coverage from what the suite actually sent: `npm test` runs every test file with
 * RDMC_TEST_ACTION_LOG naming a folder, where each server process appends one line per RPC
 * request it answered (src/protocol/action-log.ts), then runs this file alone, after all of
 * them. Every (version, action) pair served must have been answered with success at least once.
 */
const folder = process.env.RDMC_TEST_ACTION_LOG;

test('every action of every API version was answered with success to an end-to-end test', () => {
  assert.ok(folder, 'RDMC_TEST_ACTION_LOG names the folder the suite recorded into (run through `npm test`)');
  const answered = new Set<string>();
  let lines = 0;
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
      const [version, action, status] = line.split(' ');
      if (!action) continue;
      lines++;
      if (status === '200') answered.add(`${version} ${action}`);
    }
  }
  const served = Object.entries(API_VERSIONS).flatMap(([version, { actions }]) => Object.keys(actions).map((name) => `${version} ${name}`));
  assert.ok(served.length > 50, `the action table was read (${served.length} actions)`);
  assert.ok(lines > 0, `the suite recorded its requests in ${folder}`);
  assert.deepEqual(served.filter((pair) => !answered.has(pair)), [], 'actions no end-to-end test got a success from');
});
