import type { RetentionRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

const s = {
  outbox: sql(
    `DELETE FROM outbox_messages WHERE id IN
       (SELECT id FROM outbox_messages WHERE created_at < $1 AND delivery <> 'pending' LIMIT $2)`,
  ),
  tokens: sql(
    `DELETE FROM verification_tokens WHERE token_hash IN
       (SELECT token_hash FROM verification_tokens WHERE expires_at < $1
        UNION SELECT token_hash FROM verification_tokens WHERE used_at < $1 LIMIT $2)`,
  ),
  sends: sql('DELETE FROM verification_sends WHERE id IN (SELECT id FROM verification_sends WHERE sent_at <= $1 LIMIT $2)'),
  failedJobs: sql(`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'failed' AND run_at < $1 LIMIT $2)`),
  consoleSessions: sql(
    `DELETE FROM console_sessions WHERE secret_hash IN
       (SELECT secret_hash FROM console_sessions WHERE last_seen_at < $1
        UNION SELECT secret_hash FROM console_sessions WHERE created_at < $2 LIMIT $3)`,
  ),
  audit: sql('DELETE FROM audit_records WHERE seq IN (SELECT seq FROM audit_records WHERE at < $1 LIMIT $2)'),
  auditTargets: sql(
    'DELETE FROM audit_targets WHERE (target_id, at, seq) IN (SELECT target_id, at, seq FROM audit_targets WHERE at < $1 LIMIT $2)',
  ),
  accountDeletions: sql(
    'DELETE FROM account_deletions WHERE account_id IN (SELECT account_id FROM account_deletions WHERE deleted_at < $1 LIMIT $2)',
  ),
  orphanDeletions: sql(
    `DELETE FROM contact_deletions WHERE contact_id IN
       (SELECT d.contact_id FROM contact_deletions d WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = d.contact_id) LIMIT $1)`,
  ),
};

export function retentionRepo(q: Queryable): RetentionRepo {
  return {
    pruneOutbox: (before, limit) => s.outbox.run(q, [before, limit]),
    pruneTokens: (before, limit) => s.tokens.run(q, [before, limit]),
    pruneFailedJobs: (before, limit) => s.failedJobs.run(q, [before, limit]),
    pruneOrphanDeletions: (limit) => s.orphanDeletions.run(q, [limit]),
    pruneAccountDeletions: (before, limit) => s.accountDeletions.run(q, [before, limit]),
    pruneSends: (before, limit) => s.sends.run(q, [before, limit]),
    pruneConsoleSessions: (idleBefore, openedBefore, limit) => s.consoleSessions.run(q, [idleBefore, openedBefore, limit]),
    pruneAudit: (before, limit) => s.audit.run(q, [before, limit]),
    pruneAuditTargets: (before, limit) => s.auditTargets.run(q, [before, limit]),
  };
}
