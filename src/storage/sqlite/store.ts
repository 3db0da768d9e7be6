import { openDatabase, type Db } from './db.js';
import { accountRepo } from './repos/accounts.js';
import { bindingRepo } from './repos/bindings.js';
import { contactRepo } from './repos/contacts.js';
import { deletionRepo } from './repos/deletions.js';
import { directoryRepo } from './repos/directories.js';
import { folderRepo } from './repos/folders.js';
import { jobRepo } from './repos/jobs.js';
import { messageCenterRepo } from './repos/message-centers.js';
import { outboxRepo } from './repos/outbox.js';
import { verificationSendRepo, verificationTokenRepo } from './repos/verification.js';
import type { Store, Tx } from '../store.js';

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
  /**
   * Nonces stay in memory: an SQLite deployment is one process by construction, and an
   * fsync per signed request would cost more than the whole request.
   */
  private readonly nonces = new Map<string, number>();

  constructor(path: string) {
    this.db = openDatabase(path);
    this.tx = {
      lockDirectory: async () => {},
      lockAccount: async () => {},
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
    };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(() => fn(this.tx));
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    // Every nonce lives for the same window, so insertion order is expiry order: expired
    // entries are all at the front, and the sweep stops at the first live one.
    for (const [key, until] of this.nonces) {
      if (until > now) break;
      this.nonces.delete(key);
    }
    const key = `${accessKeyId}\n${nonce}`;
    const until = this.nonces.get(key);
    if (until !== undefined && until > now) return false;
    this.nonces.set(key, expiresAt);
    return true;
  }

  wipe(): Promise<void> {
    return this.exclusive(async () => {
      this.db.exec(`BEGIN IMMEDIATE;
        DELETE FROM outbox_messages; DELETE FROM verification_sends; DELETE FROM verification_tokens;
        DELETE FROM jobs; DELETE FROM message_center_entries; DELETE FROM message_center_owners; DELETE FROM contact_deletions; DELETE FROM contact_bindings; DELETE FROM contacts;
        DELETE FROM accounts; DELETE FROM folders; DELETE FROM directories;
        COMMIT;`);
      this.nonces.clear();
    });
  }

  async close(): Promise<void> {
    await this.exclusive(async () => this.db.close());
  }
}
