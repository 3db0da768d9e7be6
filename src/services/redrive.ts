import { ownErrors } from '../domain/errors.js';
import { isRedrivable, REDRIVABLE_KINDS, type RedrivableKind } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { FailedJobCursor, OutboxCursor, RedrivenJob, Tx } from '../storage/store.js';
import type { ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import { outboxView } from './outbox.js';
import { jobView } from './overview.js';

/** Jobs or deliveries per transaction of a bulk retry: each batch is a few statements, however many failed. */
export const REDRIVE_BATCH = 500;


export interface FailedJobFilter {
  /** The kinds to retry; every kind that can be retried when absent. */
  kind?: RedrivableKind;
  /** Jobs that failed for good at this time or later. */
  failedSince?: number;
  /** ...and at this time or earlier; the request's own time at most. */
  failedBefore?: number;
}

/**
 * Redrive (docs/operations.md, Redrive): jobs and deliveries that failed for good go back in
 * the queue, one by one or in bulk, with a fresh attempt budget; their history (the attempts
 * spent before, how often retried, when they failed, the last error) stays on the record.
 *
 * A delivery and its job go back together, in one transaction: the outbox message becomes
 * pending again only if it is still failed, and a job put back whose message was sent
 * meanwhile (by another run) finds nothing to send (`OutboxService.toDeliver`), so a retry
 * never sends a message twice.
 */
export class RedriveService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly queue: JobQueue,
  ) {}

  /** One failed job, by its ID. */
  async retryJob(jobId: number) {
    return this.deps.store.transaction(locks.outbox, async (tx) => {
      const job = await tx.jobs.lock(jobId);
      if (!job) throw ownErrors.jobNotExists(jobId);
      if (!isRedrivable(job.kind)) {
        throw ownErrors.jobNotRetriable(jobId, job.kind, REDRIVABLE_KINDS);
      }
      const [redriven] = await tx.jobs.redrive({ jobId }, this.queue.schedule());
      if (!redriven) throw ownErrors.incorrectJobState(jobId, job.state);
      await this.deliveriesAlong(tx, [redriven]);
      return { Job: jobView((await tx.jobs.lock(jobId))!) };
    });
  }

  /** Every failed job the filter selects, in batches of REDRIVE_BATCH: `{Retried: n}`. */
  async retryJobs(filter: FailedJobFilter) {
    const now = this.deps.clock.now();
    const until = Math.min(filter.failedBefore ?? now, now);
    const kinds: string[] = filter.kind ? [filter.kind] : [...REDRIVABLE_KINDS];
    // The walk goes forward in (failedAt, id) order: a job that fails again while the walk is
    // under way is not taken twice by it.
    let after: FailedJobCursor = { failedAt: filter.failedSince ?? Number.MIN_SAFE_INTEGER, id: 0 };
    let retried = 0;
    for (;;) {
      const batch = await this.deps.store.transaction(locks.outbox, async (tx) => {
        const jobs = await tx.jobs.redrive({ kinds, after, until, limit: REDRIVE_BATCH }, this.queue.schedule());
        await this.deliveriesAlong(tx, jobs);
        return jobs;
      });
      retried += batch.length;
      if (batch.length < REDRIVE_BATCH) return { Retried: retried };
      after = batch.reduce((last, j) => (j.failedAt > last.failedAt || (j.failedAt === last.failedAt && j.id > last.id) ? j : last), after);
    }
  }

  /** One failed delivery, by its DeliveryId (the outbox message's ID). */
  async retryDelivery(deliveryId: string) {
    return this.deps.store.transaction(locks.outbox, async (tx) => {
      const message = await tx.outbox.byId(deliveryId);
      if (!message) throw ownErrors.deliveryNotExists(deliveryId);
      if ((await this.revive(tx, [deliveryId])) === 0) {
        throw ownErrors.incorrectDeliveryState(deliveryId, message.delivery);
      }
      return { Message: outboxView((await tx.outbox.byId(deliveryId))!) };
    });
  }

  /** Every failed delivery, or those of one message, in batches of REDRIVE_BATCH: `{Retried: n}`. */
  async retryDeliveries(filter: { messageId?: string }) {
    let after: OutboxCursor = { createdAt: Number.MIN_SAFE_INTEGER, id: '' };
    let retried = 0;
    for (;;) {
      const batch = await this.deps.store.transaction(locks.outbox, async (tx) => {
        const found =
          filter.messageId === undefined ? await tx.outbox.failedAfter(after, REDRIVE_BATCH) : await tx.outbox.failedOfMessage(filter.messageId, REDRIVE_BATCH);
        return { found, revived: await this.revive(tx, found.map((m) => m.id)) };
      });
      retried += batch.revived;
      // The copies of one message are one batch: those that fail again meanwhile wait for the next request.
      if (filter.messageId !== undefined || batch.found.length < REDRIVE_BATCH) return { Retried: retried };
      after = batch.found.at(-1)!;
    }
  }

  /** The outbox messages of delivery jobs put back in the queue, pending again where they read failed. */
  private async deliveriesAlong(tx: Tx, jobs: RedrivenJob[]): Promise<void> {
    const outboxIds = jobs.flatMap((j) => (j.outboxId === null ? [] : [j.outboxId]));
    if (outboxIds.length > 0) await tx.outbox.redrive(outboxIds);
  }

  /**
   * Failed deliveries pending again, with their jobs: the failed job put back in the queue,
   * or a new one where retention removed it. Only the messages this transaction turned from
   * failed to pending get a job, so two retries at once queue one job; how many it turned.
   */
  private async revive(tx: Tx, deliveryIds: string[]): Promise<number> {
    if (deliveryIds.length === 0) return 0;
    const revived = await tx.outbox.redrive(deliveryIds);
    if (revived.length === 0) return 0;
    const schedule = this.queue.schedule();
    await tx.jobs.redrive({ outboxIds: revived }, schedule);
    await tx.jobs.enqueueDeliveries(revived, schedule, this.deps.clock.now());
    return revived.length;
  }
}
