import type { Db } from './db.js';

/** How often expired nonces are cleared: each sweep deletes about one minute's worth. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Signature nonces in the database file, so they outlive a restart. A nonce is written with
 * `synchronous = NORMAL`: the commit reaches the operating system (a killed or crashed rdmc
 * loses nothing) without waiting for a disk flush, which would cost more than the request.
 * Only a crash of the machine itself can forget the last nonces, never data a caller was told
 * was saved: the next FULL commit flushes them along with it.
 */
export class SqliteNonces {
  private nextSweep = 0;
  private readonly remember;
  private readonly forgetExpired;

  constructor(private readonly db: Db) {
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
    this.db.pragma('synchronous = NORMAL');
    try {
      if (now >= this.nextSweep) {
        this.nextSweep = now + SWEEP_EVERY_MS;
        this.forgetExpired.run(now);
      }
      return this.remember.get({ accessKeyId, nonce, expiresAt, now }) !== undefined;
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }
}
