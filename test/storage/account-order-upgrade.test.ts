import assert from 'node:assert/strict';
import { test } from 'node:test';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { migrations } from '../../src/storage/migrations/index.js';
import type { AccountRecord } from '../../src/storage/records.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type Backend, type TestDatabase } from '../helpers/database.js';

/**
 * A database written before accounts had a join sequence (before version 11 of the
 * migrations) upgrades in place, alike on both stores: the accounts
 * already stored keep the order they listed in (join time, then ID), whatever was written or
 * updated when, and accounts added afterwards come after those of their millisecond.
 */

const T0 = 1_700_000_000_000;
/** The migration that brought the join sequence. */
const JOIN_SEQUENCE = migrations.find((m) => m.name === 'accounts_in_join_order')!.version;

/** Written in this order; the first two joined in the same millisecond, the third earlier. */
const before = [
  ['1000000000000009', T0 + 1],
  ['1000000000000001', T0 + 1],
  ['1000000000000005', T0],
] as const;

const statements = [
  'INSERT INTO directories (id, master_account_id, master_account_name, root_folder_id, create_time) VALUES ($1, $2, $3, $4, $5)',
  'INSERT INTO folders (id, directory_id, parent_id, name, depth, create_time) VALUES ($1, $2, NULL, $3, 0, $4)',
];
const insertAccount = `INSERT INTO accounts (id, directory_id, folder_id, account_name, display_name, type, join_method, join_time, modify_time)
  VALUES ($1, 'rd-old', 'r-old', $2, $3, 'ResourceAccount', 'created', $4, $5)`;
// A rename rewrites the row (on PostgreSQL a new tuple at the heap's end): it must not move the account.
const rename = `UPDATE accounts SET display_name = 'renamed' WHERE id = '1000000000000001'`;
const rows = [
  ['rd-old', '1999999999999999', 'owner@example.com', 'r-old', T0],
  ['r-old', 'rd-old', 'root', T0],
];
const accountRow = ([id, at]: readonly [string, number]) => [id, `m${id}@example.com`, `member ${id}`, at, at];

/** Applies the migrations before the join sequence and writes the rows above, as an older rdmc would have. */
async function writeOlderDatabase(database: TestDatabase): Promise<void> {
  const older = migrations.filter((m) => m.version < JOIN_SEQUENCE);
  const writes: Array<[string, unknown[]]> = [
    ...statements.map((text, i): [string, unknown[]] => [text, rows[i]!]),
    ...before.map((a): [string, unknown[]] => [insertAccount, accountRow(a)]),
    [rename, []],
  ];
  if (database.backend === 'sqlite') {
    const db = new Sqlite(database.db);
    try {
      db.exec('CREATE TABLE schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
      for (const m of older) {
        db.exec(m.sqlite);
        db.prepare('INSERT INTO schema_versions VALUES (?, ?, ?)').run(m.version, m.name, T0);
      }
      // Every statement above names its parameters in order, so they become SQLite's `?`.
      for (const [text, params] of writes) db.prepare(text.replace(/\$\d+/g, '?')).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.db });
  await client.connect();
  try {
    await client.query('CREATE TABLE schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    for (const m of older) {
      await client.query(m.postgres);
      await client.query('INSERT INTO schema_versions VALUES ($1, $2, $3)', [m.version, m.name, T0]);
    }
    for (const [text, params] of writes) await client.query(text, params);
  } finally {
    await client.end();
  }
}

const added: AccountRecord = {
  id: '1000000000000000',
  directoryId: 'rd-old',
  folderId: 'r-old',
  accountName: 'added@example.com',
  displayName: 'added after the upgrade',
  type: 'ResourceAccount',
  joinMethod: 'created',
  joinTime: T0 + 1,
  modifyTime: T0 + 1,
};

for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  test(`${backend}: accounts stored before the join sequence keep their join order through the upgrade`, async (t) => {
    if (backend === 'postgres' && !(await postgresReachable())) return t.skip(warnPostgresMissing('the join-order upgrade test'));
    const database = await createTestDatabase(backend);
    try {
      await writeOlderDatabase(database);
      const store = await database.open();
      try {
        await store.transaction({ nothing: 'the test writes alone' }, (tx) => tx.accounts.insert(added));
        const filter = { folderId: null, keyword: null, tags: null };
        // ...01 and ...09 listed by ID before the upgrade and still do; by ID the new account
        // would come first of its millisecond, by join order it comes last.
        const expected = ['1000000000000005', '1000000000000001', '1000000000000009', '1000000000000000'];
        const page = await store.read((tx) => tx.accounts.list('rd-old', filter, { offset: 0, limit: 10 }));
        assert.deepEqual(page.items.map((a) => a.id), expected);
        const first = await store.read((tx) => tx.accounts.listAfter('rd-old', filter, null, 2));
        const rest = await store.read((tx) => tx.accounts.listAfter('rd-old', filter, first[1]!.place, 10));
        assert.deepEqual([...first, ...rest].map((a) => a.account.id), expected);
        // The member count (version 16) starts from the accounts stored before it, and counts on.
        assert.equal(await store.read((tx) => tx.accounts.countMembers('rd-old', '1999999999999999')), 4);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
}
