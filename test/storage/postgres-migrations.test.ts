import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { migrations } from '../../src/storage/postgres/migrations/index.js';
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
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => r.version), migrations.map((m) => m.version));
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});
