import type { AsyncMode } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import type { JobSchedule, Tx } from '../storage/store.js';
import { parsePayload, type JobKind, type JobPayload } from './kinds.js';

/** How background work is scheduled right now; the admin API can change it at run time. */
export interface AsyncSettings {
  mode: AsyncMode;
  delayMs: number;
}

/**
 * Enqueues jobs inside the caller's transaction, so a job exists exactly when the change
 * that needs it has committed.
 */
export class JobQueue {
  /** Set when this process enqueued something since the last settle. */
  enqueuedSinceSettle = false;

  constructor(
    readonly settings: AsyncSettings,
    private readonly clock: Clock,
  ) {}

  async enqueue<K extends JobKind>(tx: Tx, kind: K, payload: JobPayload<K>, contactId: string | null): Promise<number> {
    return tx.jobs.insert({
      kind,
      payload,
      contactId,
      ...this.schedule(),
      createdAt: this.clock.now(),
      // A directory's jobs queue in its own lane, so they take turns with other tenants'.
      lane: 'directoryId' in payload ? payload.directoryId : '',
      outboxId: 'outboxId' in payload ? payload.outboxId : null,
    });
  }

  /** When a job queued (or put back in the queue) now runs, by the async mode; noted for the settle after the request. */
  schedule(): JobSchedule {
    const now = this.clock.now();
    const { mode, delayMs } = this.settings;
    this.enqueuedSinceSettle = true;
    return { runAt: mode === 'delay' ? now + delayMs : now, held: mode === 'manual' };
  }

  /** The payloads of a directory's jobs of a kind still to run, typed: what a service asks about work under way. */
  async pending<K extends JobKind>(tx: Tx, directoryId: string, kind: K): Promise<Array<JobPayload<K>>> {
    return (await tx.jobs.pendingInLane(directoryId, kind)).map((job) => parsePayload(kind, job.payload));
  }
}
