import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_VERSIONS, changesState } from '../../src/api/actions.js';
import { RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION, STS_VERSION } from '../../src/domain/api-versions.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

/** Every .ts file under a folder of the test sources, recursively. */
function sources(folder: string): string[] {
  return readdirSync(join(PROJECT_ROOT, 'test', folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(PROJECT_ROOT, 'test', folder, f), 'utf8'));
}

// The Terraform helpers name the version of each call (tea-rpc.ts): RM20, RDM22 or STS.
const NAMED_VERSIONS: Record<string, string> = { RM20: RESOURCE_MANAGER_VERSION, RDM22: RESOURCE_DIRECTORY_MASTER_VERSION, STS: STS_VERSION };

/**
 * The (version, action) pairs the end-to-end tests call: a quoted action name is called at
 * the version RM20, RDM22 or STS names before it on its line; without one it goes through the
 * clients of test/helpers, which speak ResourceDirectoryMaster 2022-04-19.
 */
function calledPairs(): Set<string> {
  const lines = [...sources('e2e'), ...sources('cluster'), ...sources('helpers')].flatMap((text) => text.split('\n'));
  const names = new Set(Object.values(API_VERSIONS).flatMap(({ actions }) => Object.keys(actions)));
  const called = new Set<string>();
  for (const line of lines) {
    for (const m of line.matchAll(/['"`]([A-Z][A-Za-z]+)['"`]/g)) {
      if (!names.has(m[1]!)) continue;
      const named = [...line.slice(0, m.index).matchAll(/\b(RM20|RDM22|STS)\b/g)].pop()?.[1];
      called.add(`${named ? NAMED_VERSIONS[named] : RESOURCE_DIRECTORY_MASTER_VERSION} ${m[1]}`);
    }
  }
  return called;
}

test('every action of every API version is called by an end-to-end test', () => {
  const called = calledPairs();
  const served = Object.entries(API_VERSIONS).flatMap(([version, { actions }]) => Object.keys(actions).map((name) => `${version} ${name}`));
  assert.ok(served.length > 50, `the action table was read (${served.length} actions)`);
  assert.deepEqual(served.filter((pair) => !called.has(pair)), [], 'actions no end-to-end test calls');
});

/**
 * What the audit trail records (src/audit/): every action that changes state. The reads are
 * listed here by name, so an action added later is a write (and recorded) unless it is added
 * to this list on purpose.
 */
test('the audit trail records every action but these reads', () => {
  const reads = [
    'GetAccount', 'GetAccountDeletionCheckResult', 'GetAccountDeletionStatus', 'GetCallerIdentity', 'GetFolder', 'GetMessageContact',
    'GetMessageContactDeletionStatus', 'GetPayerForAccount', 'GetResourceDirectory', 'ListAccounts', 'ListAccountsForParent', 'ListAncestors',
    'ListFoldersForParent', 'ListMessageContactVerifications', 'ListMessageContacts', 'ListTagResources',
  ];
  const names = [...new Set(Object.values(API_VERSIONS).flatMap(({ actions }) => Object.keys(actions)))].sort();
  assert.deepEqual(names.filter((name) => !changesState(name)), reads);
  assert.ok(changesState('CheckAccountDelete') && changesState('AddMessageContact') && changesState('InitResourceDirectory'));
});
