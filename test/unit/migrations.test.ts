import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrations } from '../../src/storage/migrations/index.js';
import { translateLegacy } from '../../src/storage/migrations/legacy.js';
import type { Migration } from '../../src/storage/migrations/migration.js';
import { pendingMigrations } from '../../src/storage/migrations/plan.js';
import { SchemaMismatch } from '../../src/storage/schema-version.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

/**
 * Every landed migration, pinned: its version, name and a hash of its text on both stores. A
 * landed migration is never edited, moved or removed; a new one is appended here with the next
 * version (its hash is what this test prints when it is missing).
 */
const LANDED: ReadonlyArray<readonly [number, string, string]> = [
  [1, 'initial', '89542beda1788db0'],
  [2, 'message_centers', 'bd617cde41f7802f'],
  [3, 'signature_nonces', '6d1810399bdf9397'],
  [4, 'verification_and_delivery', '1c5c1a995eee0c8b'],
  [5, 'unlogged_nonces', '95da20b4f55b6e7b'],
  [6, 'scale_indexes', '857c6d7ba08363b6'],
  [7, 'retention_and_order', '40f665766b4e4294'],
  [8, 'directory_state', 'a1197a86562ada75'],
  [9, 'outbox_by_time', 'c745301fc48caeed'],
  [10, 'one_join_order_index', '5944cda05f8f6a6a'],
  [11, 'accounts_in_join_order', '6ddfefe11ed71568'],
  [12, 'logged_nonces', '40049c6bf36b28aa'],
  [13, 'tag_and_display_name_indexes', '96ff6bdfa4e61db9'],
  [14, 'sends_by_time', 'c512c2ccd9ab9a5a'],
  [15, 'job_lanes', '9885318a248707a5'],
  [16, 'directory_account_counts', 'c49ebff254186e68'],
  [17, 'console_sessions', '1543dc324feb882a'],
  [18, 'audit_trail', 'e14bde599b4f1177'],
  [19, 'redrive', '4f190a32aa25db39'],
  [20, 'gauge_indexes', '7d2e793c054a8610'],
  [21, 'outbox_address_any_case', 'c4f3cf60e11cb6fe'],
  [22, 'sts_sessions', '0ff36bdc695d46af'],
  [23, 'control_policies', '8af8d41a5eae14a7'],
  [24, 'delegated_administrators', 'b5f7f927d037e760'],
  [25, 'handshakes', '6f54f9fe53cf6f99'],
  [26, 'control_policy_attachment_counts', 'bd8a5580ff0f6880'],
];

const fingerprint = (m: Migration) => createHash('sha256').update(JSON.stringify([m.name, m.sqlite, m.postgres])).digest('hex').slice(0, 16);

test('the one list: versions 1 to N in order, each file numbered as its place, every file listed', async () => {
  assert.deepEqual(migrations.map((m) => m.version), migrations.map((_, i) => i + 1));
  const files = (await readdir(join(PROJECT_ROOT, 'src/storage/migrations'))).filter((f) => /^\d{4}_.+\.ts$/.test(f)).sort();
  assert.deepEqual(files, migrations.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}.ts`));
});

test('landed migrations are never edited, moved or removed; new ones are appended', () => {
  for (const [i, m] of migrations.entries()) {
    const pinned = LANDED[i];
    assert.ok(pinned, `migration ${m.version} (${m.name}) is new: append [${m.version}, '${m.name}', '${fingerprint(m)}'] to LANDED`);
    assert.deepEqual([m.version, m.name, fingerprint(m)], pinned, `migration ${pinned[0]} (${pinned[1]}) was changed after it landed: write a new one instead`);
  }
  assert.equal(migrations.length >= LANDED.length, true, 'a landed migration was removed');
});

const applied = (versions: number[]) => versions.map((v) => ({ version: v, name: migrations[v - 1]!.name }));
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SchemaMismatch, String(err));
    return err;
  }
  assert.fail('expected a refusal');
};

test('planning: what a database lacks, in order', () => {
  assert.deepEqual(pendingMigrations([], migrations, false), migrations);
  assert.deepEqual(pendingMigrations(applied([1, 2, 3]), migrations, false).map((m) => m.version), migrations.slice(3).map((m) => m.version));
  assert.deepEqual(pendingMigrations(applied(migrations.map((m) => m.version)), migrations, false), []);
});

test('planning refuses a database a newer or another release migrated', () => {
  const newer = refusal(() => pendingMigrations([...applied([1, 2]), { version: migrations.length + 1, name: 'later' }], migrations, false));
  assert.equal(newer.reason, 'schema-newer');
  assert.match(newer.message, new RegExp(`holds schema versions ${migrations.length + 1}, and this release knows versions 1 to ${migrations.length}`));
  const other = refusal(() => pendingMigrations([{ version: 1, name: 'something_else' }], migrations, false));
  assert.equal(other.reason, 'schema-newer');
  assert.match(other.message, /schema version 1 is 'something_else', this release's is 'initial'/);
});

test('planning refuses gaps below the newest version, but fills those of a translated database', () => {
  const gap = refusal(() => pendingMigrations(applied([1, 2, 4]), migrations, false));
  assert.match(gap.message, /holds schema version 4 but not 3: applying them now would change the schema out of order/);
  assert.deepEqual(pendingMigrations(applied([1, 2, 4]), migrations, true).map((m) => m.version)[0], 3);
});

test('translating the per-store numbers: the same change gets the same version on both stores', () => {
  const at = 1_700_000_000_000;
  // SQLite's 11 and PostgreSQL's 13 were the same change (the join sequence).
  assert.deepEqual(translateLegacy('sqlite', [{ version: 11, appliedAt: at }], migrations), [{ version: 11, name: 'accounts_in_join_order', appliedAt: at }]);
  assert.deepEqual(translateLegacy('postgres', [{ version: 13, appliedAt: at }], migrations), [{ version: 11, name: 'accounts_in_join_order', appliedAt: at }]);
  const unknown = refusal(() => translateLegacy('sqlite', [{ version: 8, appliedAt: at }], migrations));
  assert.match(unknown.message, /records migrations 8 in schema_migrations/);
});
