import assert from 'node:assert/strict';
import { test } from 'node:test';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, postgresReachable, warnPostgresMissing } from '../helpers/database.js';
import { allStatements } from '../../src/storage/statement.js';
// Every shared repo, so that each of its statements is defined.
import '../../src/storage/repos/accounts.js';
import '../../src/storage/repos/audit.js';
import '../../src/storage/repos/bindings.js';
import '../../src/storage/repos/console-sessions.js';
import '../../src/storage/repos/contacts.js';
import '../../src/storage/repos/delegations.js';
import '../../src/storage/repos/deletions.js';
import '../../src/storage/repos/directories.js';
import '../../src/storage/repos/directory-state.js';
import '../../src/storage/repos/folders.js';
import '../../src/storage/repos/handshakes.js';
import '../../src/storage/repos/jobs.js';
import '../../src/storage/repos/message-centers.js';
import '../../src/storage/repos/outbox.js';
import '../../src/storage/repos/retention.js';
import '../../src/storage/repos/state.js';
import '../../src/storage/repos/sts-sessions.js';
import '../../src/storage/repos/control-policies.js';
import '../../src/storage/repos/tag-names.js';
import '../../src/storage/repos/verification.js';

/**
 * Every statement of the shared repos compiles against the migrated schema of each dialect
 * it has a form for: a column misspelt, or SQL one dialect does not speak, fails here
 * instead of on the first request that runs it.
 */
test('every shared statement prepares on SQLite', async () => {
  const database = await createTestDatabase('sqlite');
  try {
    await (await database.open()).close();
    const db = new Sqlite(database.db, { readonly: true });
    try {
      for (const s of allStatements) if (s.sqlite) assert.doesNotThrow(() => db.prepare(s.sqlite!.text), s.sqlite.text);
    } finally {
      db.close();
    }
  } finally {
    await database.drop();
  }
});

test('every shared statement prepares on PostgreSQL', async (t) => {
  if (!(await postgresReachable())) return t.skip(warnPostgresMissing('the statement check on PostgreSQL'));
  const database = await createTestDatabase('postgres');
  try {
    await (await database.open()).close();
    const client = new pg.Client({ connectionString: database.db });
    await client.connect();
    try {
      for (const s of allStatements) {
        if (!s.postgres) continue;
        await client.query(`PREPARE checked AS ${s.postgres.text}`).catch((err: Error) => assert.fail(`${err.message}: ${s.postgres!.text}`));
        await client.query('DEALLOCATE checked');
      }
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
});
