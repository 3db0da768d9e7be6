import type { Logger } from 'pino';
import { locks } from '../storage/locks.js';
import type { Store, Tx } from '../storage/store.js';

/** How long finished records are kept; the defaults are in the settings table and docs/operations.md. */
export interface RetentionSettings {
  /** Outbox messages no longer pending. */
  outboxMs: number;
  /** Verification links, counted from their use or expiry. */
  tokensMs: number;
  /** Jobs that failed for good. */
  failedJobsMs: number;
  /** Verification send counters; at least the longest window that counts them (a day). */
  sendCountersMs: number;
  /** Deletion records of member accounts, counted from the deletion. */
  deletionRecordsMs: number;
  /** Console sessions are deleted once over (idle or past their lifetime): nothing of them is kept. */
  consoleSessions: { idleMs: number; lifetimeMs: number };
  /** STS sessions, counted from their expiry. */
  stsSessionsMs: number;
  /** Invitations, counted from when they stopped mattering (expiry, decline, cancel, the member's removal). */
  handshakesMs: number;
  /** Audit records. */
  auditMs: number;
  /** How often a worker prunes. */
  everyMs: number;
}

/** Rows per delete: each batch is one short transaction, so pruning never holds a table for long. */
const BATCH = 500;

/**
 * Deletes what retention says is no longer needed, table by table, in batches until none is
 * left. Any number of workers may prune at once: deleting a row twice deletes it once.
 */
export async function pruneRetained(store: Store, now: number, settings: RetentionSettings, log: Logger): Promise<void> {
  const tables: Array<[string, (limit: number) => (tx: Tx) => Promise<number>]> = [
    ['outbox_messages', (limit) => (tx) => tx.retention.pruneOutbox(now - settings.outboxMs, limit)],
    ['verification_tokens', (limit) => (tx) => tx.retention.pruneTokens(now - settings.tokensMs, limit)],
    ['jobs', (limit) => (tx) => tx.retention.pruneFailedJobs(now - settings.failedJobsMs, limit)],
    ['contact_deletions', (limit) => (tx) => tx.retention.pruneOrphanDeletions(limit)],
    ['verification_sends', (limit) => (tx) => tx.retention.pruneSends(now - settings.sendCountersMs, limit)],
    ['account_deletions', (limit) => (tx) => tx.retention.pruneAccountDeletions(now - settings.deletionRecordsMs, limit)],
    ['console_sessions', (limit) => (tx) => tx.retention.pruneConsoleSessions(now - settings.consoleSessions.idleMs, now - settings.consoleSessions.lifetimeMs, limit)],
    ['sts_sessions', (limit) => (tx) => tx.retention.pruneStsSessions(now - settings.stsSessionsMs, limit)],
    ['handshakes', (limit) => (tx) => tx.retention.pruneHandshakes(now - settings.handshakesMs, limit)],
    ['audit_records', (limit) => (tx) => tx.retention.pruneAudit(now - settings.auditMs, limit)],
    ['audit_targets', (limit) => (tx) => tx.retention.pruneAuditTargets(now - settings.auditMs, limit)],
  ];
  for (const [table, prune] of tables) {
    let total = 0;
    for (;;) {
      // SQLite work completes in microtasks: without a turn of the event loop between
      // batches, pruning a large backlog would hold every request (and listening) until done.
      await new Promise((resolve) => setImmediate(resolve));
      // Idempotent, so a background batch: a delete a power loss takes back is done again next time.
      const deleted = await store.batch(locks.retention, prune(BATCH));
      total += deleted;
      log.debug({ table, deleted }, 'retention pruned a batch');
      if (deleted < BATCH) break;
    }
    if (total > 0) log.info({ table, deleted: total }, 'retention pruned rows');
  }
}
