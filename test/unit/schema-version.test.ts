import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSchema, SchemaMismatch } from '../../src/storage/schema-version.js';

const verdict = (applied: number[], build: number[]) => {
  try {
    checkSchema(applied, build);
    return 'current';
  } catch (err) {
    assert.ok(err instanceof SchemaMismatch);
    return err.reason;
  }
};

test("a database's schema is current only when its migrations are exactly this build's", () => {
  assert.equal(verdict([1, 2, 20], [1, 2, 20]), 'current');
  assert.equal(verdict([20, 1, 2], [1, 2, 20]), 'current');
  assert.equal(verdict([1, 2], [1, 2, 20]), 'schema-older');
  assert.equal(verdict([], [1, 2, 20]), 'schema-older');
  assert.equal(verdict([1, 2, 20, 26], [1, 2, 20]), 'schema-newer');
  // Migrated by another release that lacks one of ours and adds its own: upgrade this node to it.
  assert.equal(verdict([1, 2, 26], [1, 2, 20]), 'schema-newer');
});

test('the message names the migrations that differ', () => {
  assert.throws(() => checkSchema([1], [1, 2, 20]), /lacks 2 of this release's 3 migrations \(2, 20\)/);
  assert.throws(() => checkSchema([1, 2, 20, 26, 27], [1, 2, 20]), /does not know \(26, 27\)/);
});
