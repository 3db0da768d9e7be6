import type Database from 'better-sqlite3';
import { openDatabase, type Db } from './db.js';
import { SqliteNonces } from './nonces.js';
import { accountRepo } from './repos/accounts.js';
import { bindingRepo } from './repos/bindings.js';
import { contactRepo } from './repos/contacts.js';
import { deletionRepo } from './repos/deletions.js';
import { directoryRepo } from './repos/directories.js';
import { accountDeletionRepo, accountPayerRepo, directorySettingsRepo, tagRepo } from './repos/directory-state.js';
import { folderRepo } from './repos/folders.js';
import { jobRepo } from './repos/jobs.js';
import { messageCenterRepo } from './repos/message-centers.js';
import { outboxRepo } from './repos/outbox.js';
import { retentionRepo } from './repos/retention.js';
import { verificationSendRepo, verificationTokenRepo } from './repos/verification.js';
import { KEPT_BY_WIPE, type Store, type Tx, type WriteLock } from '../store.js';

/**
 * The embedded store. better-sqlite3 is synchronous and the file has one writer, so the
 * asynchronous contract is met by running one unit of work at a time on the connection:
 * a transaction's awaits can never interleave with another request's statements.
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly singleProcess = true;
  private readonly db: Db;
  private readonly tx: Tx;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly nonces: SqliteNonces;
  /** Prepared once: `db.pragma()` prepares anew on every call, and relaxed commits run for every group of signed requests (their nonces). */
  private readonly synchronous: { normal: Database.Statement; full: Database.Statement };

  constructor(path: string) {
    this.db = openDatabase(path);
    this.nonces = new SqliteNonces(this.db, (fn) => this.batch({ nothing: 'nonces are their own table' }, fn));
    this.synchronous = { normal: this.db.prepare('PRAGMA synchronous = NORMAL'), full: this.db.prepare('PRAGMA synchronous = FULL') };
    this.tx = {
      directories: directoryRepo(this.db),
      folders: folderRepo(this.db),
      accounts: accountRepo(this.db),
      contacts: contactRepo(this.db),
      bindings: bindingRepo(this.db),
      deletions: deletionRepo(this.db),
      jobs: jobRepo(this.db),
      messageCenters: messageCenterRepo(this.db),
      verificationTokens: verificationTokenRepo(this.db),
      verificationSends: verificationSendRepo(this.db),
      outbox: outboxRepo(this.db),
      directorySettings: directorySettingsRepo(this.db),
      tags: tagRepo(this.db),
      accountPayers: accountPayerRepo(this.db),
      accountDeletions: accountDeletionRepo(this.db),
      retention: retentionRepo(this.db),
    };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** SQLite's online backup: it copies page by page between statements, so requests are not held up. */
  async backup(destination: string): Promise<void> {
    await this.db.backup(destination);
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => fn(this.tx));
  }

  readOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.read(fn);
  }

  /** Job bookkeeping: a claim or heartbeat a power loss takes back is made again; no wait for the disk either. */
  writeOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.relaxed(() => fn(this.tx)));
  }

  /** Every `WriteLock` is held already: one transaction at a time runs on the one connection. */
  transaction<T>(_lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.atomically(fn));
  }

  /**
   * `synchronous=NORMAL` for this one commit: in WAL mode it is still atomic and survives a
   * crash of the process; only a power loss can take it back, and the next FULL commit
   * (every API write) flushes it to disk with its own.
   */
  batch<T>(_lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.relaxed(() => this.atomically(fn)));
  }

  private async relaxed<T>(fn: () => Promise<T>): Promise<T> {
    this.synchronous.normal.run();
    try {
      return await fn();
    } finally {
      this.synchronous.full.run();
    }
  }

  private async atomically<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(this.tx);
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async probe(): Promise<void> {
    await this.readOne((tx) => tx.jobs.nextRunAt());
  }

  rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    return this.nonces.remember(accessKeyId, nonce, expiresAt, now);
  }

  // Every table but those of KEPT_BY_WIPE, as on PostgreSQL, so a table added later is wiped
  // without a change here; foreign keys are checked once, at the commit, when all are empty.
  wipe(): Promise<void> {
    return this.exclusive(async () => {
      const tables = (this.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().all() as string[]).filter(
        (name) => !KEPT_BY_WIPE.includes(name),
      );
      this.db.exec(`BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON; ${tables.map((t) => `DELETE FROM "${t}";`).join(' ')} COMMIT;`);
    });
  }

  async close(): Promise<void> {
    await this.exclusive(async () => this.db.close());
  }
}
