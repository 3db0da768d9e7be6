import { sql, type Queryable } from './sql.js';

const s = {
  // Answers a row when the nonce is new or its earlier use has expired; two nodes racing on
  // one nonce meet on the primary key, and the second finds it live.
  remember: sql<{ fresh: 1 }>(
    `INSERT INTO signature_nonces (access_key_id, nonce, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
       WHERE signature_nonces.expires_at <= $4
     RETURNING 1 AS fresh`,
  ),
  forgetExpired: sql('DELETE FROM signature_nonces WHERE expires_at <= $1'),
};

/** How often one process clears expired nonces; any node's sweep serves them all. */
const SWEEP_EVERY_MS = 60_000;

/** Signature nonces in a table every node shares, so a replay on another node is refused too. */
export class NonceTable {
  private nextSweep = 0;

  constructor(private readonly q: Queryable) {}

  async remember(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    if (now >= this.nextSweep) {
      this.nextSweep = now + SWEEP_EVERY_MS;
      await s.forgetExpired.run(this.q, [now]);
    }
    return (await s.remember.one(this.q, [accessKeyId, nonce, expiresAt, now])) !== null;
  }
}
