import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { migrations } from '../../src/storage/migrations/index.js';
import { StoreUnavailable } from '../../src/storage/unavailable.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing } from '../helpers/database.js';

test('nodes starting at the same moment on a fresh PostgreSQL database migrate it exactly once', async (t) => {
  if (!(await postgresReachable())) return t.skip(warnPostgresMissing('the PostgreSQL migration test'));
  const database = await createTestDatabase('postgres');
  try {
    const stores = await Promise.all(Array.from({ length: 6 }, () => database.open()));
    await Promise.all(stores.map((s) => s.close()));
    // And once more on the migrated database: nothing left to do.
    await (await database.open()).close();

    const client = new pg.Client({ connectionString: database.db });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_versions ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), migrations.map((m) => m.version));
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});

test('a PostgreSQL database whose schema is behind this release is not ready', async (t) => {
  if (!(await postgresReachable())) return t.skip(warnPostgresMissing('the PostgreSQL migration test'));
  const database = await createTestDatabase('postgres');
  const store = await database.open();
  const client = new pg.Client({ connectionString: database.db });
  await client.connect();
  try {
    await store.probe();
    // As after a restore from a backup of an older release.
    await client.query('DELETE FROM schema_versions WHERE version = $1', [migrations[migrations.length - 1]!.version]);
    const failed = await store.probe().then(() => null, (err: unknown) => err);
    assert.ok(failed instanceof Error && !(failed instanceof StoreUnavailable), String(failed));
    assert.match(failed.message, /schema lacks 1 of this release's \d+ migrations/);
  } finally {
    await client.end();
    await store.close();
    await database.drop();
  }
});
