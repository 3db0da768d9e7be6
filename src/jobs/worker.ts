import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import type { Clock } from '../domain/clock.js';
import type { JobRecord } from '../storage/records.js';
import type { Store, Tx } from '../storage/store.js';
import type { DatabaseTask, EffectTask, Task, TaskTable } from './task.js';

export interface WorkerOptions {
  /** Who holds a claimed job's lock (host, process, random suffix). */
  owner: string;
  /** A lock older than this belongs to a worker that died: the job is free again. */
  staleLockMs: number;
  /** How often an idle worker looks for jobs enqueued elsewhere or due by now. */
  pollMs: number;
  maxAttempts: number;
  /** The first retry waits this long; each later one twice as long as the one before. */
  retryBaseMs: number;
}

/** Backoff after the n-th failed attempt: base, 2 x base, 4 x base... at most five minutes. */
export const backoffMs = (attempts: number, baseMs: number) => Math.min(baseMs * 2 ** (attempts - 1), 300_000);

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
    private readonly metrics: Metrics,
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

  /** True while a pass over due jobs is under way. */
  get busy(): boolean {
    return this.running !== null;
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

  /** The job as it is now, if this worker still holds the lock it claimed it with. */
  private async stillOurs(tx: Tx, claimed: JobRecord): Promise<JobRecord | null> {
    const job = await tx.jobs.lock(claimed.id);
    // Another worker took the job over after our lock went stale: its run counts, not ours.
    if (!job || job.lockedBy !== this.options.owner || job.lockedAt !== claimed.lockedAt) return null;
    return job;
  }

  private async runDatabaseTask(task: DatabaseTask, claimed: JobRecord): Promise<'done' | 'continued' | 'lost'> {
    return this.store.transaction(async (tx) => {
      const job = await this.stillOurs(tx, claimed);
      if (!job) return 'lost';
      const result = await task(tx, job);
      if (!('continueWith' in result)) {
        await tx.jobs.complete(job.id);
        return 'done';
      }
      await tx.jobs.reschedule(job.id, result.continueWith, this.clock.now(), 0, null);
      return 'continued';
    });
  }

  private async runEffectTask(task: EffectTask<unknown>, claimed: JobRecord): Promise<'done' | 'lost'> {
    const work = await this.store.transaction(async (tx) => {
      const job = await this.stillOurs(tx, claimed);
      if (!job) return null;
      const prepared = await task.prepare(tx, job);
      if (prepared === null) await tx.jobs.complete(job.id);
      return prepared;
    });
    if (work === null) return 'done';
    await task.perform(work);
    await this.store.transaction(async (tx) => {
      await task.record(tx, work);
      await tx.jobs.complete(claimed.id);
    });
    return 'done';
  }

  private async runOne(claimed: JobRecord): Promise<void> {
    const task: Task | undefined = this.tasks[claimed.kind];
    try {
      if (!task) throw new Error(`no task handles jobs of kind ${claimed.kind}`);
      const outcome = typeof task === 'function' ? await this.runDatabaseTask(task, claimed) : await this.runEffectTask(task, claimed);
      this.metrics.jobs.inc({ kind: claimed.kind, outcome });
    } catch (err) {
      const attempts = claimed.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      const final = attempts >= this.options.maxAttempts;
      this.metrics.jobs.inc({ kind: claimed.kind, outcome: final ? 'failed' : 'retried' });
      this.log.warn({ jobId: claimed.id, kind: claimed.kind, attempts, err }, 'job failed');
      await this.store.transaction(async (tx) => {
        if (task && typeof task !== 'function') await task.failed(tx, claimed, message, final);
        if (final) await tx.jobs.markFailed(claimed.id, message);
        else {
          const retryAt = this.clock.now() + backoffMs(attempts, this.options.retryBaseMs);
          await tx.jobs.reschedule(claimed.id, claimed.payload, retryAt, attempts, message);
        }
      });
    }
  }
}
