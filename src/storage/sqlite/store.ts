import Database from 'better-sqlite3';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { scratchFolder } from '../scratch.js';
import { openDatabase, type Db } from './db.js';
import { storeError, UnwritableEpisodes, type Writability } from './faults.js';
import { SqliteNonces } from './nonces.js';
import { sqliteExecutor } from './executor.js';
import { sqliteWipe } from './wipe.js';
import { repositories } from '../repos/index.js';
import { type ConnectionUse, type Store, type Tx, type WriteLock } from '../store.js';
import { checkSchema, VERSIONS_TABLE } from '../schema-version.js';
import { MIGRATION_VERSIONS } from '../migrations/index.js';
import { StoreUnavailable } from '../unavailable.js';
import { remainingMs } from '../request-budget.js';
import { claimPendingAudit } from '../../audit/scope.js';
import { Turns } from './turns.js';

export type { Writability } from './faults.js';

const UNREPORTED: Writability = { lost() {}, regained() {} };

/** The repos, on the one connection of the store or on a snapshot's copy. */
function txOn(db: Db, pause: () => Promise<void>): Tx {
  // One per connection: it keeps the connection's prepared statements.
  const x = sqliteExecutor(db);
  return repositories(x, { wipe: sqliteWipe(db), pause });
}

/**
 * The embedded store. better-sqlite3 is synchronous and the file has one writer, so the
 * asynchronous contract is met by running one unit of work at a time on the connection:
 * a transaction's awaits can never interleave with another request's statements. A long
 * read (a filtered list of a large directory) is made of bounded steps and gives the
 * connection back between two (`pause`), so it never holds every other request for long.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly singleProcess = true;
  private readonly db: Db;
  private readonly tx: Tx;
  private readonly turns = new Turns();
  /** Whether the unit holding the connection is a read, which may pause between its steps. */
  private pausable = false;
  private readonly nonces: SqliteNonces;
  /** Prepared once: `db.pragma()` prepares anew on every call, and relaxed commits run for every group of signed requests (their nonces). */
  private readonly synchronous: { normal: Database.Statement; full: Database.Statement };
  private readonly rewriteHeader: Database.Statement;
  private readonly appliedMigrations: Database.Statement;
  private readonly episodes: UnwritableEpisodes;

  constructor(path: string, writability: Writability = UNREPORTED) {
    this.db = openDatabase(path);
    this.episodes = new UnwritableEpisodes(writability);
    this.nonces = new SqliteNonces(this.db, (fn) => this.batch({ nothing: 'nonces are their own table' }, fn));
    this.synchronous = { normal: this.db.prepare('PRAGMA synchronous = NORMAL'), full: this.db.prepare('PRAGMA synchronous = FULL') };
    // The probe's write: the header's user_version, unused by rdmc, set to the value it has.
    this.rewriteHeader = this.db.prepare(`PRAGMA user_version = ${Number(this.db.pragma('user_version', { simple: true }))}`);
    this.appliedMigrations = this.db.prepare(`SELECT version FROM ${VERSIONS_TABLE}`).pluck();
    this.tx = txOn(this.db, this.pause);
  }

  /**
   * Runs `fn` when every unit before it has finished (or paused: see `pause`). A file that
   * cannot be written fails it with `StoreUnavailable`, and its episodes are followed
   * (src/storage/sqlite/faults.ts).
   */
  private async exclusive<T>(fn: () => Promise<T>, writes: boolean): Promise<T> {
    await this.turns.take();
    try {
      const result = await fn();
      if (writes) this.episodes.committed();
      return result;
    } catch (err) {
      const thrown = storeError(err);
      if (thrown instanceof StoreUnavailable) this.episodes.failed(err);
      throw thrown;
    } finally {
      this.turns.give();
    }
  }

  /**
   * Between two steps of a long read: the connection goes to whoever waits (after a turn of
   * the event loop, so requests that just arrived can queue too), and the read takes it back
   * behind them. Reads run outside any transaction, so nothing is held meanwhile. Inside a
   * write transaction it only checks the budget. Throws when the request's budget is spent.
   */
  private readonly pause = async (): Promise<void> => {
    remainingMs();
    if (!this.pausable) return;
    this.pausable = false;
    this.turns.give();
    await setImmediate();
    await this.turns.take();
    this.pausable = true;
    remainingMs();
  };

  /** SQLite's online backup: it copies page by page between statements, so requests are not held up. */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  /**
   * Reads a copy: the online backup copies the file a step at a time between other requests,
   * then `fn` reads the copy on a connection of its own, so however long it takes, it holds
   * neither the one connection nor the writer up. The copy, in the scratch folder, costs
   * disk the size of the database for as long as `fn` runs.
   */
  async snapshot<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const dir = await scratchFolder();
    try {
      const file = join(dir, 'snapshot.sqlite');
      await this.db.backup(file);
      const copy = new Database(file);
      try {
        copy.pragma('query_only = ON');
        // The copy is this read's alone: between two steps it need only give the event loop a turn.
        return await fn(txOn(copy, () => setImmediate()));
      } finally {
        copy.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A read that starts past its request's deadline (it waited its turn that long) does not start. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      remainingMs();
      this.pausable = true;
      try {
        return await fn(this.tx);
      } finally {
        this.pausable = false;
      }
    }, false);
  }

  readOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.read(fn);
  }

  /**
   * Job bookkeeping: a claim or heartbeat a power loss takes back is made again; no wait for
   * the disk either. Inside a transaction all the same: a statement committed by itself whose
   * row is read with `.get()` (the claim's `UPDATE … RETURNING`) is reset after that row, and
   * better-sqlite3 does not report the failure of the implicit commit at the reset, so a claim
   * on a full disk came back as made although SQLite had rolled it back. COMMIT reports it.
   */
  writeOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.relaxed(() => this.atomically(fn)), true);
  }

  /** Every `WriteLock` is held already: one transaction at a time runs on the one connection. */
  transaction<T>(_lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.atomically(fn, true), true);
  }

  /**
   * `synchronous=NORMAL` for this one commit: in WAL mode it is still atomic and survives a
   * crash of the process; only a power loss can take it back, and the next FULL commit
   * (every API write) flushes it to disk with its own.
   */
  batch<T>(_lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.relaxed(() => this.atomically(fn, true)), true);
  }

  private async relaxed<T>(fn: () => Promise<T>): Promise<T> {
    this.synchronous.normal.run();
    try {
      return await fn();
    } finally {
      this.synchronous.full.run();
    }
  }

  /** `audited`: the transaction carries the audit record of the write it runs for, if none has yet (src/audit/scope.ts). */
  private async atomically<T>(fn: (tx: Tx) => Promise<T>, audited = false): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    const audit = { pending: null as ReturnType<typeof claimPendingAudit>, seq: 0 };
    try {
      const result = await fn(this.tx);
      audit.pending = audited ? claimPendingAudit() : null;
      if (audit.pending) audit.seq = await this.tx.audit.insert(audit.pending.entry);
      this.db.exec('COMMIT');
      audit.pending?.committed(audit.seq);
      return result;
    } catch (err) {
      audit.pending?.failed();
      // A failed COMMIT, and a statement failing for a full disk or an I/O error, may have
      // rolled the transaction back already: a ROLLBACK then fails, and its error would
      // replace the one that says why.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * Whether a write can commit now. Only a commit touches the disk in WAL mode: BEGIN
   * IMMEDIATE takes a lock in memory and a rolled-back write never leaves the page cache, so
   * neither notices a full disk or a read-only file. The smallest commit there is rewrites the
   * header page (one frame appended to the WAL), relaxed: nothing here needs to reach the disk.
   * A commit that fits does not end an episode by itself: requests' larger writes may still fail.
   * The schema is checked too: opening migrates the file, but one a newer release migrated
   * keeps the migrations this build does not know.
   */
  async probe(): Promise<void> {
    const applied = await this.exclusive(
      () =>
        this.relaxed(() =>
          this.atomically(async () => {
            this.rewriteHeader.run();
            return this.appliedMigrations.all() as number[];
          }),
        ),
      true,
    );
    const unavailable = this.episodes.unavailable;
    if (unavailable) throw unavailable;
    checkSchema(applied, MIGRATION_VERSIONS);
  }

  connections(): ConnectionUse {
    return { max: 1, open: 1, busy: this.turns.busy ? 1 : 0, waiting: this.turns.waiting };
  }

  rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    return this.nonces.remember(accessKeyId, nonce, expiresAt, now);
  }

  wipe(): Promise<void> {
    return this.transaction({ nothing: 'a wipe deletes every row' }, (tx) => tx.state.wipe());
  }

  async close(): Promise<void> {
    await this.exclusive(async () => this.db.close(), false);
  }
}
