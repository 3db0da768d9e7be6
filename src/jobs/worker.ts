import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';
import type { Clock } from '../domain/clock.js';
import type { JobRecord } from '../storage/records.js';
import type { Store, Tx, WriteLock } from '../storage/store.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import { describeFailure } from './failure-cause.js';
import { isJobKind, parsePayload, type JobKind, type JobPayload } from './kinds.js';
import { WorkerOutage } from './outage.js';
import { pruneRetained, type RetentionSettings } from './retention.js';
import type { DatabaseTask, EffectTask, Task, TaskTable } from './task.js';

export interface WorkerOptions {
  /** Who holds a claimed job's lock (host, process, random suffix). */
  owner: string;
  /** A lock older than this belongs to a worker that died: the job is free again. */
  staleLockMs: number;
  /** How often an idle worker looks for jobs enqueued elsewhere or due by now. */
  pollMs: number;
  /** Attempts before a job fails for good (RDMC_JOB_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** The first retry waits this long; each later one twice as long as the one before (RDMC_JOB_RETRY_BASE_MS)... */
  retryBaseMs: number;
  /** ...up to this (RDMC_JOB_RETRY_MAX_MS). */
  retryMaxMs: number;
  /** What a failure of a job no task can take (an unknown kind, an unreadable payload) is recorded under. */
  bookkeepingLock: WriteLock;
  /** What is pruned, and how often; none on a worker that leaves pruning to others. */
  retention?: RetentionSettings;
  /**
   * True while requests wait that background work would hold up (this node's API requests in
   * flight): unless someone waits for the jobs themselves (`drain`), the worker then pauses
   * after each job run for as long as the run took, at most MAX_PAUSE_MS, so jobs take at
   * most about half of the event loop and the store from them.
   */
  requestsWaiting?: () => boolean;
}

/** The longest pause for waiting requests: a fan-out batch takes a few to a few tens of ms. */
export const MAX_PAUSE_MS = 50;

type Outcome = 'done' | 'continued' | 'retried' | 'failed' | 'lost';

/** Backoff after the n-th failed attempt: base, 2 x base, 4 x base... at most `mostMs`. */
export const backoffMs = (attempts: number, baseMs: number, mostMs: number) => Math.min(baseMs * 2 ** Math.min(attempts - 1, 40), mostMs);

/** How often a worker renews the locks it holds: three beats fit in the stale-lock time. */
export const heartbeatMs = (staleLockMs: number) => Math.max(30, Math.floor(staleLockMs / 3));

/**
 * Claims due jobs and runs their tasks: retries with backoff, gives up after maxAttempts
 * (the job stays, `failed`, with its last error), picks up jobs whose lock went stale, and
 * prunes what retention no longer keeps.
 *
 * Progress is guaranteed: one loop runs passes while any wake (a request, a notification, the
 * timer, a drain) is outstanding, a wake during a pass makes it run one more, and whenever the
 * loop stops a started worker arms its timer for the next due job (at most `pollMs` away), on
 * the injected clock, so tests move time instead of waiting.
 */
export class Worker {
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;
  /** A wake arrived that no pass started since has served. */
  private wanted = false;
  private stopped = true;
  /** Bumped on each arming, so an arming overtaken by a newer one (or by a pass) is dropped. */
  private arming = 0;
  private armed: Promise<void> = Promise.resolve();
  private nextPruneAt = 0;
  private readonly outage: WorkerOutage;
  /** Callers waiting in `drain`. */
  private awaited = 0;
  /**
   * Starts the loop in the async context the worker was made in (the server's start-up), not
   * in that of whoever wakes it first: a request's budget or audit scope (AsyncLocalStorage)
   * would otherwise follow every pass, and every timer the loop arms, long after the request
   * ended, cutting jobs short at the request's deadline.
   */
  private readonly startLoop: () => Promise<void>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly tasks: TaskTable,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly options: WorkerOptions,
  ) {
    this.outage = new WorkerOutage(log);
    this.startLoop = AsyncResource.bind(() => this.loop());
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.settled();
  }

  /** Resolves once no pass is running and the timer for the next one is set (or the worker stopped). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
    await this.armed;
  }

  /** True while a pass over due jobs is under way. */
  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * Runs every due job now (new batches included) and resolves when none is left. Its caller
   * waits for the jobs (an immediate-mode request, `POST /_rdmc/jobs/run`): meanwhile the
   * worker does not pause for requests.
   */
  drain(): Promise<void> {
    this.awaited++;
    return this.pass().finally(() => this.awaited--);
  }

  /**
   * Something was enqueued or released: look now instead of at the next poll. Not while the
   * store is out: the paused timer looks again (a drain, which someone waits for, still does).
   */
  wake(): void {
    if (this.stopped || this.outage.pauseMs !== null) return;
    void this.pass();
  }

  private pass(): Promise<void> {
    this.wanted = true;
    this.running ??= this.startLoop();
    return this.running;
  }

  private disarm(): void {
    this.arming++;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  /** Passes while wakes are outstanding; never rejects. */
  private async loop(): Promise<void> {
    this.disarm();
    try {
      while (this.wanted) {
        this.wanted = false;
        await this.runDue().then(
          () => this.outage.passed(),
          (err: unknown) => {
            if (!this.outage.failed(err)) this.log.error({ err }, 'worker loop failed');
          },
        );
      }
    } finally {
      this.running = null;
      if (!this.stopped) this.armed = this.arm(++this.arming);
    }
  }

  /** Sets the timer for the next due job, or the next poll, whichever comes first; during an outage, for the end of the pause. */
  private async arm(generation: number): Promise<void> {
    let wait = this.outage.pauseMs ?? this.options.pollMs;
    if (this.outage.pauseMs === null) {
      try {
        const next = await this.store.readOne((tx) => tx.jobs.nextRunAt());
        if (next !== null) wait = Math.max(0, Math.min(wait, next - this.clock.now()));
      } catch (err) {
        // An outage is the next pass's to pause for (and the store's outage log's to report).
        if (!(err instanceof StoreUnavailable)) this.log.error({ err }, 'worker could not read the job table');
      }
    }
    // A pass started (or the worker stopped) meanwhile: it arms again when it ends.
    if (this.stopped || this.running || generation !== this.arming) return;
    this.cancelTimer = this.clock.setTimer(wait, () => {
      this.cancelTimer = null;
      if (!this.stopped) void this.pass();
    });
  }

  /** Prunes when retention is due; a failure is logged and retried at the next period. */
  private async pruneIfDue(now: number): Promise<void> {
    const retention = this.options.retention;
    if (!retention || now < this.nextPruneAt) return;
    this.nextPruneAt = now + retention.everyMs;
    await pruneRetained(this.store, now, retention, this.log).catch((err) => {
      // An outage is logged once elsewhere; pruning is tried again at the next period.
      if (!(err instanceof StoreUnavailable)) this.log.error({ err }, 'retention pruning failed');
    });
  }

  private async runDue(): Promise<void> {
    await this.pruneIfDue(this.clock.now());
    for (;;) {
      // SQLite work completes in microtasks: without yielding, a long fan-out would starve
      // the HTTP server. Each batch gives waiting requests their turn first.
      await new Promise((resolve) => setImmediate(resolve));
      const now = this.clock.now();
      const job = await this.store.writeOne((tx) => tx.jobs.claim(this.options.owner, now, now - this.options.staleLockMs));
      if (!job) return;
      const started = performance.now();
      await this.withHeartbeat(job.id, () => this.runOne(job));
      await this.yieldToRequests(performance.now() - started);
    }
  }

  /**
   * On SQLite a batch runs on the event loop every tenant's requests share, and a request
   * needs several turns of it (its nonce, its transaction, its answer): with only a turn
   * between batches, each of those turns would wait for a batch. A real timer, not the
   * injected clock: this is about the event loop's time, and tests never wait on it.
   */
  private async yieldToRequests(ranMs: number): Promise<void> {
    if (this.awaited > 0 || !this.options.requestsWaiting?.()) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_PAUSE_MS, Math.ceil(ranMs))));
  }

  /** The job, locked for this transaction, if this worker still holds it. */
  private async ours(tx: Tx, id: number): Promise<JobRecord | null> {
    const job = await tx.jobs.lock(id);
    // Another worker took the job over after our lock went stale: its run counts, not ours.
    return job && job.lockedBy === this.options.owner ? job : null;
  }

  private async runDatabaseTask<P extends Record<string, unknown>>(task: DatabaseTask<P>, payload: P, claimed: JobRecord): Promise<Outcome> {
    // A batch saves the job's cursor with its work and is idempotent: it need not wait for the disk.
    return this.store.batch(task.lock(payload), async (tx) => {
      const job = await this.ours(tx, claimed.id);
      if (!job) return 'lost';
      const result = await task.run(tx, payload);
      if (!('continueWith' in result)) {
        await tx.jobs.complete(job.id);
        return 'done';
      }
      await tx.jobs.reschedule(job.id, result.continueWith, this.clock.now(), 0, null);
      return 'continued';
    });
  }

  private async runEffectTask<P>(task: EffectTask<P, unknown>, payload: P, claimed: JobRecord): Promise<Outcome> {
    const prepared = await this.store.transaction(task.lock(payload), async (tx) => {
      const job = await this.ours(tx, claimed.id);
      if (!job) return { lost: true as const };
      const work = await task.prepare(tx, payload);
      if (work === null) await tx.jobs.complete(job.id);
      return { work };
    });
    if ('lost' in prepared) return 'lost';
    if (prepared.work === null) return 'done';
    await task.perform(prepared.work);
    return this.store.transaction(task.lock(payload), async (tx) => {
      // The effect happened, so it is recorded whoever holds the job now.
      await task.record(tx, prepared.work);
      if (!(await this.ours(tx, claimed.id))) return 'lost';
      await tx.jobs.complete(claimed.id);
      return 'done';
    });
  }

  /**
   * Keeps the job's lock fresh from its claim to its end: through a send outside any
   * transaction, and through the wait for its directory's lock before a batch, so a live
   * worker's job is never taken for a dead one's (and a slow send never sent again by
   * another node), while a dead worker's lock goes stale `staleLockMs` after its last beat.
   */
  private async withHeartbeat(id: number, work: () => Promise<void>): Promise<void> {
    let beat: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      beat = beat
        .then(() => this.store.writeOne((tx) => tx.jobs.touch(id, this.options.owner, this.clock.now())))
        .catch((err) => {
          if (!(err instanceof StoreUnavailable)) this.log.warn({ err, jobId: id }, 'could not renew a job lock');
        });
    }, heartbeatMs(this.options.staleLockMs));
    try {
      await work();
    } finally {
      clearInterval(timer);
      await beat;
    }
  }

  private async runOne(claimed: JobRecord): Promise<void> {
    if (isJobKind(claimed.kind)) return this.runKind(claimed.kind, claimed);
    await this.failed(claimed, new Error(`no task handles jobs of kind ${claimed.kind}`), null);
  }

  private async runKind<K extends JobKind>(kind: K, claimed: JobRecord): Promise<void> {
    const task: Task<JobPayload<K>> = this.tasks[kind];
    let payload: JobPayload<K> | undefined;
    try {
      payload = parsePayload(kind, claimed.payload);
      const outcome = 'run' in task ? await this.runDatabaseTask(task, payload, claimed) : await this.runEffectTask(task, payload, claimed);
      this.metrics.jobs.inc({ kind, outcome });
    } catch (err) {
      await this.failed(claimed, err, payload === undefined ? null : { task, payload });
    }
  }

  /**
   * Counts a failed attempt: retried after a backoff, or failed for good after maxAttempts.
   * The task's failure hook writes what the task writes, so it runs under the task's lock.
   */
  private async failed<P>(claimed: JobRecord, err: unknown, hook: { task: Task<P>; payload: P } | null): Promise<void> {
    const attempts = claimed.attempts + 1;
    const message = describeFailure(err);
    const final = attempts >= this.options.maxAttempts;
    this.log.warn({ jobId: claimed.id, kind: claimed.kind, attempts, err }, 'job failed');
    const lock = hook ? hook.task.lock(hook.payload) : this.options.bookkeepingLock;
    const outcome = await this.store.transaction(lock, async (tx): Promise<Outcome> => {
      const job = await this.ours(tx, claimed.id);
      if (!job) return 'lost';
      if (hook) await hook.task.failed?.(tx, hook.payload, message, final);
      const now = this.clock.now();
      if (final) await tx.jobs.markFailed(job.id, attempts, message, now);
      else await tx.jobs.reschedule(job.id, job.payload, now + backoffMs(attempts, this.options.retryBaseMs, this.options.retryMaxMs), attempts, message);
      return final ? 'failed' : 'retried';
    });
    this.metrics.jobs.inc({ kind: claimed.kind, outcome });
  }
}
