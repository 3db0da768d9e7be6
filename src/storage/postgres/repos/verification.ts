import { toVerificationToken, type VerificationTokenRow } from '../../rows/verification.js';
import type { VerificationSendRepo, VerificationTokenRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

const s = {
  insertToken: sql(
    `INSERT INTO verification_tokens (token_hash, directory_id, contact_id, channel, target, created_at, expires_at, used_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  ),
  tokenByHash: sql<VerificationTokenRow>('SELECT * FROM verification_tokens WHERE token_hash = $1'),
  markUsed: sql('UPDATE verification_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL'),
  recordSend: sql('INSERT INTO verification_sends (target, sent_at) VALUES ($1, $2)'),
  countSince: sql<{ n: number }>('SELECT count(*)::int AS n FROM verification_sends WHERE target = $1 AND sent_at > $2'),
};

export function verificationTokenRepo(q: Queryable): VerificationTokenRepo {
  return {
    async insert(t) {
      await s.insertToken.run(q, [t.tokenHash, t.directoryId, t.contactId, t.channel, t.target, t.createdAt, t.expiresAt, t.usedAt]);
    },
    async byHash(tokenHash) {
      const r = await s.tokenByHash.one(q, [tokenHash]);
      return r && toVerificationToken(r);
    },
    async markUsed(tokenHash, usedAt) {
      return (await s.markUsed.run(q, [usedAt, tokenHash])) === 1;
    },
  };
}

/** The counters every node shares: a send on one node counts against the limit on all. */
export function verificationSendRepo(q: Queryable): VerificationSendRepo {
  return {
    async record(target, sentAt) {
      await s.recordSend.run(q, [target, sentAt]);
    },
    async countSince(target, since) {
      return (await s.countSince.one(q, [target, since]))?.n ?? 0;
    },
  };
}
