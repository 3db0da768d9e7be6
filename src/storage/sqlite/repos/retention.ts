import type { Db } from '../db.js';
import type { RetentionRepo } from '../../store.js';

export function retentionRepo(db: Db): RetentionRepo {
  const outbox = db.prepare(
    `DELETE FROM outbox_messages WHERE rowid IN
       (SELECT rowid FROM outbox_messages WHERE created_at < ? AND delivery <> 'pending' LIMIT ?)`,
  );
  const tokens = db.prepare(
    `DELETE FROM verification_tokens WHERE rowid IN
       (SELECT rowid FROM verification_tokens WHERE expires_at < @before
        UNION SELECT rowid FROM verification_tokens WHERE used_at < @before LIMIT @limit)`,
  );
  const sends = db.prepare('DELETE FROM verification_sends WHERE id IN (SELECT id FROM verification_sends WHERE sent_at <= ? LIMIT ?)');
  const failedJobs = db.prepare(`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'failed' AND run_at < ? LIMIT ?)`);
  const orphanDeletions = db.prepare(
    `DELETE FROM contact_deletions WHERE contact_id IN
       (SELECT d.contact_id FROM contact_deletions d WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = d.contact_id) LIMIT ?)`,
  );
  const accountDeletions = db.prepare(
    'DELETE FROM account_deletions WHERE account_id IN (SELECT account_id FROM account_deletions WHERE deleted_at < ? LIMIT ?)',
  );
  const sessions = db.prepare(
    `DELETE FROM console_sessions WHERE secret_hash IN
       (SELECT secret_hash FROM console_sessions WHERE last_seen_at < @idleBefore
        UNION SELECT secret_hash FROM console_sessions WHERE created_at < @openedBefore LIMIT @limit)`,
  );
  const audit = db.prepare('DELETE FROM audit_records WHERE seq IN (SELECT seq FROM audit_records WHERE at < ? LIMIT ?)');
  const auditTargets = db.prepare(
    'DELETE FROM audit_targets WHERE (target_id, at, seq) IN (SELECT target_id, at, seq FROM audit_targets WHERE at < ? LIMIT ?)',
  );
  return {
    async pruneOutbox(before, limit) {
      return outbox.run(before, limit).changes;
    },
    async pruneTokens(before, limit) {
      return tokens.run({ before, limit }).changes;
    },
    async pruneFailedJobs(before, limit) {
      return failedJobs.run(before, limit).changes;
    },
    async pruneOrphanDeletions(limit) {
      return orphanDeletions.run(limit).changes;
    },
    async pruneAccountDeletions(before, limit) {
      return accountDeletions.run(before, limit).changes;
    },
    async pruneSends(before, limit) {
      return sends.run(before, limit).changes;
    },
    async pruneConsoleSessions(idleBefore, openedBefore, limit) {
      return sessions.run({ idleBefore, openedBefore, limit }).changes;
    },
    async pruneAudit(before, limit) {
      return audit.run(before, limit).changes;
    },
    async pruneAuditTargets(before, limit) {
      return auditTargets.run(before, limit).changes;
    },
  };
}
