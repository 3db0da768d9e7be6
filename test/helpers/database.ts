import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/storage/open.js';
import type { MessageCenterEntry } from '../../src/storage/records.js';
import type { Store } from '../../src/storage/store.js';

export type Backend = 'sqlite' | 'postgres';

/** What e2e servers run on: `RDMC_TEST_BACKEND=postgres` (npm run test:postgres) or SQLite. */
export const TEST_BACKEND: Backend = process.env.RDMC_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

/** Where test databases are created and dropped: any database of a server we may create databases on. */
const POSTGRES_ADMIN_URL = process.env.RDMC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own for one test server (or several nodes), gone after `drop()`. */
export interface TestDatabase {
  backend: Backend;
  /** The `db` setting: a SQLite file path or a postgres:// URL. */
  db: string;
  /** Opens a store on it, as a test reads what the servers wrote. */
  open(): Promise<Store>;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let reachable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers; asked once per test process. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= withAdmin(async (c) => (await c.query('SELECT 1')).rowCount === 1).catch(() => false);
  return reachable;
}

/** Under CI (`CI` set to anything but `false`), a missing PostgreSQL fails the run instead of skipping. */
export const POSTGRES_REQUIRED = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/**
 * The banner a skipped PostgreSQL test prints: skipping must never look like passing. Under
 * CI it throws instead, so the test (and the run) fails.
 */
export function warnPostgresMissing(what: string): string {
  const reason = `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}: ${what} SKIPPED (set RDMC_TEST_POSTGRES_URL, or start it)`;
  if (POSTGRES_REQUIRED) throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL}, and CI requires it: ${what} cannot run`);
  console.warn(`\n${'!'.repeat(100)}\n!!! ${reason}\n${'!'.repeat(100)}\n`);
  return reason;
}

const storeSettings = (db: string) => ({ db, pgPoolSize: 4, pgConnectTimeoutMs: 5_000 });

async function createPostgres(): Promise<TestDatabase> {
  const name = `rdmc_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const db = url.toString();
  return {
    backend: 'postgres',
    db,
    open: () => openStore(storeSettings(db)),
    // FORCE ends connections a killed node left behind.
    drop: () => withAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

async function createSqlite(): Promise<TestDatabase> {
  const folder = await mkdtemp(join(tmpdir(), 'rdmc-test-'));
  const db = join(folder, 'rdmc.sqlite');
  return {
    backend: 'sqlite',
    db,
    open: () => openStore(storeSettings(db)),
    drop: () => rm(folder, { recursive: true, force: true }),
  };
}

export function createTestDatabase(backend: Backend = TEST_BACKEND): Promise<TestDatabase> {
  return backend === 'postgres' ? createPostgres() : createSqlite();
}

/** Every message-center entry of one contact, by account ID, read straight from the database. */
export async function messageCenterEntries(database: TestDatabase, contactId: string): Promise<MessageCenterEntry[]> {
  const store = await database.open();
  try {
    return await store.read((tx) => tx.messageCenters.batchForContact(contactId, '', 1_000_000));
  } finally {
    await store.close();
  }
}

/** Row counts of `tables`, read straight from the database (no server may hold a SQLite file open). */
export async function countRows(database: TestDatabase, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  if (database.backend === 'sqlite') {
    const db = new Sqlite(database.db, { readonly: true });
    try {
      for (const t of tables) counts[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
    return counts;
  }
  const client = new pg.Client({ connectionString: database.db });
  await client.connect();
  try {
    for (const t of tables) counts[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
  } finally {
    await client.end();
  }
  return counts;
}

/** Runs one SQL text both dialects accept straight on the database (no server may hold a SQLite file open). */
export async function execSql(database: TestDatabase, text: string): Promise<void> {
  if (database.backend === 'sqlite') {
    const db = new Sqlite(database.db);
    try {
      db.exec(text);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.db });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
