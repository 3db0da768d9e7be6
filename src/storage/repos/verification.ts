import type { Executor } from '../executor.js';
import { toVerificationToken, type VerificationTokenRow } from '../rows/verification.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { VerificationSendRepo, VerificationTokenRepo } from '../store.js';

const s = {
  insertToken: statement<
    NoRow,
    { tokenHash: string; directoryId: string; contactId: string; channel: string; target: string; createdAt: number; expiresAt: number; usedAt: number | null }
  >(
    `INSERT INTO verification_tokens (token_hash, directory_id, contact_id, channel, target, created_at, expires_at, used_at)
     VALUES (:tokenHash, :directoryId, :contactId, :channel, :target, :createdAt, :expiresAt, :usedAt)`,
  ),
  tokenByHash: statement<VerificationTokenRow, { tokenHash: string }>('SELECT * FROM verification_tokens WHERE token_hash = :tokenHash'),
  markUsed: statement<NoRow, { tokenHash: string; usedAt: number }>(
    'UPDATE verification_tokens SET used_at = :usedAt WHERE token_hash = :tokenHash AND used_at IS NULL',
  ),
  recordSend: statement<NoRow, { target: string; sentAt: number }>('INSERT INTO verification_sends (target, sent_at) VALUES (:target, :sentAt)'),
  countSince: statement<Count, { target: string; since: number }>(
    'SELECT count(*) AS n FROM verification_sends WHERE target = :target AND sent_at > :since',
  ),
};

export function verificationTokenRepo(x: Executor): VerificationTokenRepo {
  return {
    async insert(t) {
      const { tokenHash, directoryId, contactId, channel, target, createdAt, expiresAt, usedAt } = t;
      await x.run(s.insertToken, { tokenHash, directoryId, contactId, channel, target, createdAt, expiresAt, usedAt });
    },
    async byHash(tokenHash) {
      const r = await x.one(s.tokenByHash, { tokenHash });
      return r && toVerificationToken(r);
    },
    async markUsed(tokenHash, usedAt) {
      return (await x.run(s.markUsed, { tokenHash, usedAt })) === 1;
    },
  };
}

/** The counters every node shares (on PostgreSQL): a send on one node counts against the limit on all. */
export function verificationSendRepo(x: Executor): VerificationSendRepo {
  return {
    async record(target, sentAt) {
      await x.run(s.recordSend, { target, sentAt });
    },
    async countSince(target, since) {
      return (await x.one(s.countSince, { target, since }))!.n;
    },
  };
}
