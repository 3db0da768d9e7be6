import type { Db } from '../db.js';
import { toVerificationToken, type VerificationTokenRow } from '../../rows/verification.js';
import type { VerificationSendRepo, VerificationTokenRepo } from '../../store.js';

export function verificationTokenRepo(db: Db): VerificationTokenRepo {
  const insert = db.prepare(
    `INSERT INTO verification_tokens (token_hash, directory_id, contact_id, channel, target, created_at, expires_at, used_at)
     VALUES (@tokenHash, @directoryId, @contactId, @channel, @target, @createdAt, @expiresAt, @usedAt)`,
  );
  const byHash = db.prepare('SELECT * FROM verification_tokens WHERE token_hash = ?');
  const markUsed = db.prepare('UPDATE verification_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL');
  return {
    async insert(t) {
      insert.run(t);
    },
    async byHash(tokenHash) {
      const r = byHash.get(tokenHash) as VerificationTokenRow | undefined;
      return r ? toVerificationToken(r) : null;
    },
    async markUsed(tokenHash, usedAt) {
      return markUsed.run(usedAt, tokenHash).changes === 1;
    },
  };
}

export function verificationSendRepo(db: Db): VerificationSendRepo {
  const record = db.prepare('INSERT INTO verification_sends (target, sent_at) VALUES (?, ?)');
  const countSince = db.prepare('SELECT count(*) AS n FROM verification_sends WHERE target = ? AND sent_at > ?');
  return {
    async record(target, sentAt) {
      record.run(target, sentAt);
    },
    async countSince(target, since) {
      return (countSince.get(target, since) as { n: number }).n;
    },
  };
}
