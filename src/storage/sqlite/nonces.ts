import type { Db } from './db.js';
import { NONCE_SWEEP_EVERY_MS, type NonceWaiter } from '../nonce-waiter.js';

/**
 * Runs `fn` as one transaction on the store's connection, in turn with every other unit of
 * work, committed relaxed (no disk flush).
 */
export type RelaxedTransaction = (fn: () => Promise<void>) => Promise<void>;

/**
 * Signature nonces in the database file, so they outlive a restart. They are committed
 * relaxed (no disk flush, which would cost more than the request): a killed or crashed rdmc
 * forgets none, only a crash of the machine itself can forget the last ones, and the next
 * durable commit flushes them along with it.
 *
 * Group commit: the nonces of every request that arrives before the store's next turn go
 * into one transaction, and each request is answered only after that commit. A commit costs
 * far more than a row, and under load many requests wait for the same turn.
 */
export class SqliteNonces {
  private nextSweep = 0;
  private waiting: NonceWaiter[] = [];
  private readonly rememberOne;
  private readonly forgetExpired;

  constructor(
    db: Db,
    private readonly transaction: RelaxedTransaction,
  ) {
    // A row comes back when the nonce is new or its earlier use has expired.
    this.rememberOne = db.prepare<[{ accessKeyId: string; nonce: string; expiresAt: number; now: number }]>(
      `INSERT INTO signature_nonces (access_key_id, nonce, expires_at) VALUES (@accessKeyId, @nonce, @expiresAt)
       ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
         WHERE signature_nonces.expires_at <= @now
       RETURNING 1 AS fresh`,
    );
    this.forgetExpired = db.prepare<[number]>('DELETE FROM signature_nonces WHERE expires_at <= ?');
  }

  /** True when `nonce` was not used by `accessKeyId` within its lifetime; it is then remembered until `expiresAt`. */
  remember(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    return new Promise((answer, fail) => {
      // The first request to wait books the turn; setImmediate lets the requests whose bytes
      // arrived in the same pass of the event loop join it.
      if (this.waiting.length === 0) setImmediate(() => this.writeGroup());
      this.waiting.push({ accessKeyId, nonce, expiresAt, now, answer, fail });
    });
  }

  private writeGroup(): void {
    let group: NonceWaiter[] | null = null;
    const fresh: boolean[] = [];
    this.transaction(async () => {
      group = this.take();
      for (const a of group) {
        if (a.now >= this.nextSweep) {
          this.nextSweep = a.now + NONCE_SWEEP_EVERY_MS;
          this.forgetExpired.run(a.now);
        }
        // In order: a nonce twice in one group finds its first use live, as a replay does.
        fresh.push(this.rememberOne.get({ accessKeyId: a.accessKeyId, nonce: a.nonce, expiresAt: a.expiresAt, now: a.now }) !== undefined);
      }
    }).then(
      () => group!.forEach((a, i) => a.answer(fresh[i]!)),
      // Nothing was committed: every request of the group fails, none is left waiting (when
      // the turn failed before it began, the group is still in `waiting`).
      (err: unknown) => (group ?? this.take()).forEach((a) => a.fail(err)),
    );
  }

  private take(): NonceWaiter[] {
    const group = this.waiting;
    this.waiting = [];
    return group;
  }
}
