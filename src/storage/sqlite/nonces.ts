import type { Db } from './db.js';

/** How often expired nonces are cleared: each sweep deletes about one minute's worth. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Signature nonces in the database file, so they outlive a restart. The store writes them
 * relaxed (no disk flush, which would cost more than the request): a killed or crashed rdmc
 * forgets none, only a crash of the machine itself can forget the last ones, and the next
 * durable commit flushes them along with it.
 */
export class SqliteNonces {
  private nextSweep = 0;
  private readonly remember;
  private readonly forgetExpired;

  constructor(db: Db) {
    this.remember = db.prepare<[{ accessKeyId: string; nonce: string; expiresAt: number; now: number }]>(
      `INSERT INTO signature_nonces (access_key_id, nonce, expires_at) VALUES (@accessKeyId, @nonce, @expiresAt)
       ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
         WHERE signature_nonces.expires_at <= @now
       RETURNING 1 AS fresh`,
    );
    this.forgetExpired = db.prepare<[number]>('DELETE FROM signature_nonces WHERE expires_at <= ?');
  }

  /** Outside any transaction, on the store's one connection. */
  rememberNow(accessKeyId: string, nonce: string, expiresAt: number, now: number): boolean {
    if (now >= this.nextSweep) {
      this.nextSweep = now + SWEEP_EVERY_MS;
      this.forgetExpired.run(now);
    }
    return this.remember.get({ accessKeyId, nonce, expiresAt, now }) !== undefined;
  }
}
