import type { Executor } from '../executor.js';
import { statement, type NoRow } from '../statement.js';
import type { RetentionRepo } from '../store.js';

type Batch = { before: number; limit: number };

/** Each prune deletes one bounded batch, found by an index and deleted by primary key. */
const s = {
  outbox: statement<NoRow, Batch>(
    `DELETE FROM outbox_messages WHERE id IN
       (SELECT id FROM outbox_messages WHERE created_at < :before AND delivery <> 'pending' LIMIT :limit)`,
  ),
  tokens: statement<NoRow, Batch>(
    `DELETE FROM verification_tokens WHERE token_hash IN
       (SELECT token_hash FROM verification_tokens WHERE expires_at < :before
        UNION SELECT token_hash FROM verification_tokens WHERE used_at < :before LIMIT :limit)`,
  ),
  sends: statement<NoRow, Batch>('DELETE FROM verification_sends WHERE id IN (SELECT id FROM verification_sends WHERE sent_at <= :before LIMIT :limit)'),
  failedJobs: statement<NoRow, Batch>(`DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE state = 'failed' AND run_at < :before LIMIT :limit)`),
  consoleSessions: statement<NoRow, { idleBefore: number; openedBefore: number; limit: number }>(
    `DELETE FROM console_sessions WHERE secret_hash IN
       (SELECT secret_hash FROM console_sessions WHERE last_seen_at < :idleBefore
        UNION SELECT secret_hash FROM console_sessions WHERE created_at < :openedBefore LIMIT :limit)`,
  ),
  stsSessions: statement<NoRow, Batch>(
    'DELETE FROM sts_sessions WHERE access_key_id IN (SELECT access_key_id FROM sts_sessions WHERE expires_at < :before LIMIT :limit)',
  ),
  audit: statement<NoRow, Batch>('DELETE FROM audit_records WHERE seq IN (SELECT seq FROM audit_records WHERE at < :before LIMIT :limit)'),
  auditTargets: statement<NoRow, Batch>(
    'DELETE FROM audit_targets WHERE (target_id, at, seq) IN (SELECT target_id, at, seq FROM audit_targets WHERE at < :before LIMIT :limit)',
  ),
  handshakes: statement<NoRow, Batch>('DELETE FROM handshakes WHERE id IN (SELECT id FROM handshakes WHERE ended_at < :before LIMIT :limit)'),
  accountDeletions: statement<NoRow, Batch>(
    'DELETE FROM account_deletions WHERE account_id IN (SELECT account_id FROM account_deletions WHERE deleted_at < :before LIMIT :limit)',
  ),
  orphanDeletions: statement<NoRow, { limit: number }>(
    `DELETE FROM contact_deletions WHERE contact_id IN
       (SELECT d.contact_id FROM contact_deletions d WHERE NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = d.contact_id) LIMIT :limit)`,
  ),
};

export function retentionRepo(x: Executor): RetentionRepo {
  return {
    pruneOutbox: (before, limit) => x.run(s.outbox, { before, limit }),
    pruneTokens: (before, limit) => x.run(s.tokens, { before, limit }),
    pruneFailedJobs: (before, limit) => x.run(s.failedJobs, { before, limit }),
    pruneOrphanDeletions: (limit) => x.run(s.orphanDeletions, { limit }),
    pruneAccountDeletions: (before, limit) => x.run(s.accountDeletions, { before, limit }),
    pruneSends: (before, limit) => x.run(s.sends, { before, limit }),
    pruneConsoleSessions: (idleBefore, openedBefore, limit) => x.run(s.consoleSessions, { idleBefore, openedBefore, limit }),
    pruneStsSessions: (before, limit) => x.run(s.stsSessions, { before, limit }),
    pruneHandshakes: (before, limit) => x.run(s.handshakes, { before, limit }),
    pruneAudit: (before, limit) => x.run(s.audit, { before, limit }),
    pruneAuditTargets: (before, limit) => x.run(s.auditTargets, { before, limit }),
  };
}
