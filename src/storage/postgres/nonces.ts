import { sql, type Queryable } from './sql.js';
import { NONCE_SWEEP_EVERY_MS, type NonceWaiter } from '../nonce-waiter.js';

const s = {
  // A row comes back for each nonce that is new or whose earlier use has expired; two nodes
  // racing on one nonce meet on the primary key, and the second finds it live. A group holds
  // each (key, nonce) once: ON CONFLICT cannot touch one row twice in a statement.
  remember: sql<{ access_key_id: string; nonce: string }>(
    `INSERT INTO signature_nonces (access_key_id, nonce, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
     ON CONFLICT (access_key_id, nonce) DO UPDATE SET expires_at = excluded.expires_at
       WHERE signature_nonces.expires_at <= $4
     RETURNING access_key_id, nonce`,
  ),
  forgetExpired: sql('DELETE FROM signature_nonces WHERE expires_at <= $1'),
};

/**
 * Signature nonces in a table every node shares, so a replay on another node is refused too.
 * Each commit waits for its WAL flush (migration 14: a crash must not forget one).
 *
 * Group commit: while one group's statement is on its way, the requests that arrive wait and
 * go together in the next one, one round trip and one flush for all of them; a request that
 * finds nothing under way is written at once, so one request alone waits no longer than
 * before. A nonce asked twice in one group is fresh for its first asker only, as it is when
 * the two come one after the other.
 */
export class NonceTable {
  private nextSweep = 0;
  private waiting: NonceWaiter[] = [];
  private writing = false;

  constructor(private readonly q: Queryable) {}

  remember(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
    return new Promise((answer, fail) => {
      this.waiting.push({ accessKeyId, nonce, expiresAt, now, answer, fail });
      if (!this.writing) void this.writeGroups();
    });
  }

  private async writeGroups(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      await this.write(group).catch((err: unknown) => group.forEach((a) => a.fail(err)));
    }
    this.writing = false;
  }

  private async write(group: NonceWaiter[]): Promise<void> {
    const now = Math.min(...group.map((a) => a.now));
    if (now >= this.nextSweep) {
      this.nextSweep = now + NONCE_SWEEP_EVERY_MS;
      await s.forgetExpired.run(this.q, [now]);
    }
    const pair = (accessKeyId: string, nonce: string) => `${accessKeyId}\n${nonce}`;
    const first = new Map<string, NonceWaiter>();
    for (const a of group) if (!first.has(pair(a.accessKeyId, a.nonce))) first.set(pair(a.accessKeyId, a.nonce), a);
    const unique = [...first.values()];
    const rows = await s.remember.all(this.q, [unique.map((a) => a.accessKeyId), unique.map((a) => a.nonce), unique.map((a) => a.expiresAt), now]);
    const fresh = new Set(rows.map((r) => pair(r.access_key_id, r.nonce)));
    for (const a of group) a.answer(first.get(pair(a.accessKeyId, a.nonce)) === a && fresh.has(pair(a.accessKeyId, a.nonce)));
  }
}
