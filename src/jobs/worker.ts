import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { JobRecord } from '../storage/records.js';
import type { Store } from '../storage/store.js';
import type { TaskTable } from './task.js';

export interface WorkerOptions {
  /** Who holds a claimed job's lock (host, process, random suffix). */
  owner: string;
  /** A lock older than this belongs to a worker that died: the job is free again. */
  staleLockMs: number;
  /** How often an idle worker looks for jobs enqueued elsewhere or due by now. */
  pollMs: number;
  maxAttempts: number;
}

/** Backoff after the n-th failed attempt: 2^n seconds, at most five minutes. */
export const backoffMs = (attempts: number) => Math.min(2 ** attempts, 300) * 1000;

/**
 * Claims due jobs and runs their tasks: retries with backoff, gives up after maxAttempts
 * (the job stays, `failed`, with its last error), and picks up jobs whose lock went stale.
 */
export class Worker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tasks: TaskTable,
    private readonly log: Logger,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs every due job now (new batches included) and resolves when none is left. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.runDue();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  /** Something was enqueued or released: look now instead of at the next poll. */
  wake(): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.runDue()
      .catch((err) => this.log.error({ err }, 'worker loop failed'))
      .finally(() => {
        this.running = null;
        void this.schedule();
      });
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    let wait = this.options.pollMs;
    try {
      const next = await this.store.read((tx) => tx.jobs.nextRunAt());
      if (next !== null) wait = Math.max(0, Math.min(wait, next - this.clock.now()));
    } catch (err) {
      this.log.error({ err }, 'worker could not read the job table');
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => this.wake(), wait);
    this.timer.unref();
  }

  private async runDue(): Promise<void> {
    for (;;) {
      // SQLite work completes in microtasks: without yielding, a long fan-out would starve
      // the HTTP server. Each batch gives waiting requests their turn first.
      await new Promise((resolve) => setImmediate(resolve));
      const now = this.clock.now();
      const job = await this.store.transaction((tx) => tx.jobs.claim(this.options.owner, now, now - this.options.staleLockMs));
      if (!job) return;
      await this.runOne(job);
    }
  }

  private async runOne(claimed: JobRecord): Promise<void> {
    const task = this.tasks[claimed.kind];
    try {
      if (!task) throw new Error(`no task handles jobs of kind ${claimed.kind}`);
      await this.store.transaction(async (tx) => {
        const job = await tx.jobs.lock(claimed.id);
        // Another worker took the job over after our lock went stale: its run counts, not ours.
        if (!job || job.lockedBy !== this.options.owner || job.lockedAt !== claimed.lockedAt) return;
        const result = await task(tx, job);
        if ('continueWith' in result) await tx.jobs.reschedule(job.id, result.continueWith, this.clock.now(), 0, null);
        else await tx.jobs.complete(job.id);
      });
    } catch (err) {
      const attempts = claimed.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      this.log.warn({ jobId: claimed.id, kind: claimed.kind, attempts, err }, 'job failed');
      await this.store.transaction(async (tx) => {
        if (attempts >= this.options.maxAttempts) await tx.jobs.markFailed(claimed.id, message);
        else await tx.jobs.reschedule(claimed.id, claimed.payload, this.clock.now() + backoffMs(attempts), attempts, message);
      });
    }
  }
}
