import type pg from 'pg';
import type { DirectoryRecord } from '../records.js';
import { toDirectory, type DirectoryRow } from '../rows/directories.js';
import { type ConnectionUse, type Store, type Tx, type WriteLock } from '../store.js';
import { checkSchema, VERSIONS_TABLE } from '../schema-version.js';
import { StoreUnavailable } from '../unavailable.js';
import type { OutageLog } from '../outage.js';
import { dedicatedClient, inTransaction, openPool } from './db.js';
import { MIGRATION_VERSIONS } from '../migrations/index.js';
import { asUnavailable } from './unavailable.js';
import { listenForJobs } from './job-notifications.js';
import { NonceTable } from './nonces.js';
import { postgresExecutor } from './executor.js';
import { postgresWipe } from './wipe.js';
import { repositories } from '../repos/index.js';
import { sql, type Queryable } from './sql.js';

export interface PostgresOptions {
  poolSize: number;
  /** How long a statement waits for a connection before it fails as `StoreUnavailable`. */
  connectTimeoutMs: number;
  /** Where outages are logged: every connection failure (requests, idle connections, the listener) and every answer. */
  outages?: OutageLog;
}

const s = {
  // Writers of one directory queue on its row, whichever node they run on.
  lockDirectory: sql('SELECT 1 FROM directories WHERE id = $1 FOR UPDATE'),
  lockManagedBy: sql<DirectoryRow>('SELECT * FROM directories WHERE master_account_id = $1 FOR UPDATE'),
  lockMemberOf: sql('SELECT 1 FROM directories WHERE id = (SELECT directory_id FROM accounts WHERE id = $1) FOR UPDATE'),
  // An account about to get a directory has no row of that kind yet: a lock on its ID
  // instead, taken in the order of the (sorted) array.
  lockAccounts: sql("SELECT pg_advisory_xact_lock(hashtextextended('rdmc.account:' || id, 0)) FROM unnest($1::text[]) AS id"),
  lockOwnedDirectories: sql('SELECT 1 FROM directories WHERE master_account_id = ANY($1::text[]) ORDER BY id FOR UPDATE'),
  // clock_timestamp(), not now(): now() is the start of the transaction, not the moment of the read.
  databaseTime: sql<{ t: number }>('SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS t'),
  appliedMigrations: sql<{ version: number }>(`SELECT version FROM ${VERSIONS_TABLE}`),
};

/**
 * Takes a transaction's `WriteLock` on its connection. The lock on a caller's directory
 * reads the row it locks: it is the first thing the transaction would read anyway.
 */
async function take(q: Queryable, lock: WriteLock): Promise<DirectoryRecord | null> {
  if ('managedBy' in lock) {
    const row = await s.lockManagedBy.one(q, [lock.managedBy]);
    return row && toDirectory(row);
  }
  if ('directory' in lock) await s.lockDirectory.run(q, [lock.directory]);
  else if ('memberOf' in lock) await s.lockMemberOf.run(q, [lock.memberOf]);
  else if ('accounts' in lock) await s.lockAccounts.run(q, [[...new Set(lock.accounts)].sort()]);
  else if ('owners' in lock) {
    await s.lockAccounts.run(q, [[...new Set(lock.owners)].sort()]);
    await s.lockOwnedDirectories.run(q, [lock.owners]);
  }
  return null;
}

/**
 * A transaction's view of the tables, bound to the one connection it runs on. `locked` is
 * the directory its lock read: locked, no other transaction can change it before this one
 * ends, and directory rows are never updated (DestroyResourceDirectory, which deletes one,
 * runs under the owners lock, never this one), so it is answered without a second read.
 */
function txOn(q: Queryable, locked: DirectoryRecord | null = null): Tx {
  const tx = repositories(postgresExecutor(q), { wipe: postgresWipe(q) });
  if (!locked) return tx;
  const { directories } = tx;
  return { ...tx, directories: { ...directories, byMasterAccount: async (id) => (id === locked.masterAccountId ? locked : directories.byMasterAccount(id)) } };
}

/**
 * The shared store: any number of rdmc nodes on one database. Each transaction runs on a
 * pooled connection of its own at READ COMMITTED; services serialise what must be serial
 * through the `WriteLock` every transaction names, and unique indexes stay as the safety net.
 * Reads run in a read-only REPEATABLE READ transaction, so one request sees one snapshot.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly singleProcess = false;
  private readonly nonces: NonceTable;

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly options: PostgresOptions,
  ) {
    this.nonces = new NonceTable(pool);
  }

  /** Opens the pool and migrates; a database out of reach fails with `StoreUnavailable`, so the caller may try again. */
  static async open(url: string, options: PostgresOptions): Promise<PostgresStore> {
    const pool = await openPool(url, {
      size: options.poolSize,
      connectTimeoutMs: options.connectTimeoutMs,
      // An idle connection the server ended: the pool has dropped it already.
      onError: (err) => options.outages?.failed(new StoreUnavailable('unreachable', { cause: err })),
    }).catch((err: unknown) => {
      throw asUnavailable(err);
    });
    return new PostgresStore(url, pool, options);
  }

  /**
   * Every statement's way out: a connection error becomes `StoreUnavailable` (503 to callers,
   * one line in the outage log), and any answer from the server ends an outage.
   */
  private async guard<T>(work: Promise<T>): Promise<T> {
    try {
      const result = await work;
      this.options.outages?.answered();
      return result;
    } catch (err) {
      const thrown = asUnavailable(err);
      if (thrown instanceof StoreUnavailable) this.options.outages?.failed(thrown);
      else this.options.outages?.answered();
      throw thrown;
    }
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(inTransaction(this.pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (client) => fn(txOn(client))));
  }

  /**
   * On a connection of its own, outside the pool: a long export must not take one of the
   * connections every request shares for as long as it streams.
   */
  snapshot<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(
      (async () => {
        const client = dedicatedClient(this.url, this.options.connectTimeoutMs);
        // An `error` event nobody hears ends the process: the failure reaches the caller through the query instead.
        client.on('error', () => undefined);
        await client.connect();
        try {
          await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
          const result = await fn(txOn(client));
          await client.query('COMMIT');
          return result;
        } finally {
          await client.end().catch(() => undefined);
        }
      })(),
    );
  }

  /** On the pool itself: the one statement runs on whichever connection is free, in its own snapshot. */
  readOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(fn(txOn(this.pool)));
  }

  writeOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(fn(txOn(this.pool)));
  }

  transaction<T>(lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(inTransaction(this.pool, 'BEGIN', async (client) => fn(txOn(client, await take(client, lock))), { audited: true }));
  }

  /**
   * `synchronous_commit = off` for this one transaction: atomic and crash-safe, the commit
   * just does not wait for its WAL flush (a server crash may take back the last moments).
   */
  batch<T>(lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(
      inTransaction(this.pool, 'BEGIN; SET LOCAL synchronous_commit = off', async (client) => fn(txOn(client, await take(client, lock))), { audited: true }),
    );
  }

  /**
   * Ready when the server answers and the schema is this release's: a database restored from
   * an older backup, or migrated by a newer release, is not one this node can serve.
   */
  async probe(): Promise<void> {
    const applied = await this.guard(s.appliedMigrations.all(this.pool));
    checkSchema(applied.map((r) => r.version), MIGRATION_VERSIONS);
  }

  connections(): ConnectionUse {
    const { totalCount, idleCount, waitingCount } = this.pool;
    return { max: this.options.poolSize, open: totalCount, busy: totalCount - idleCount, waiting: waitingCount };
  }

  async databaseTime(): Promise<number> {
    return (await this.guard(s.databaseTime.one(this.pool)))!.t;
  }

  rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    return this.guard(this.nonces.remember(accessKeyId, nonce, expiresAt, now));
  }

  wipe(): Promise<void> {
    return this.transaction({ nothing: 'a wipe deletes every row' }, (tx) => tx.state.wipe());
  }

  listenForJobs(onWake: () => void): Promise<() => Promise<void>> {
    const outages = this.options.outages;
    return listenForJobs(() => dedicatedClient(this.url, this.options.connectTimeoutMs), onWake, {
      lost: (err) => outages?.failed(new StoreUnavailable('unreachable', { cause: err })),
      listening: () => outages?.answered(),
    });
  }

  /** Idempotent: a server closing a store that something else closed first must not throw. */
  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}
