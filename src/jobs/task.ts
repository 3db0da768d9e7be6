import type { Tx, WriteLock } from '../storage/store.js';
import type { JobKind, JobPayload } from './kinds.js';

/**
 * A database task does one job's work inside the transaction that also completes the job,
 * so its effects happen exactly once even if the worker dies and the job runs again.
 * Returning `{ continueWith }` saves a cursor and runs the job again (large fan-outs go in
 * batches and never hold one long transaction).
 */
export type TaskResult<P> = { done: true } | { continueWith: P };

/** Notes a failed attempt in the job's own terms; `final` when the job gives up for good. */
export type FailureHook<P> = (tx: Tx, payload: P, error: string, final: boolean) => Promise<void>;

export interface DatabaseTask<P> {
  /** What `run` and `failed` serialise on: both write under it (see src/storage/locks.ts). */
  lock(payload: P): WriteLock;
  run(tx: Tx, payload: P): Promise<TaskResult<P>>;
  failed?: FailureHook<P>;
}

/**
 * A task whose effect leaves the database (an e-mail, an HTTP call). The effect never runs
 * inside a transaction: `prepare` reads what to do (null: nothing left, the job is done),
 * `perform` does it while the worker keeps the job's lock fresh, `record` notes the success
 * in the transaction that completes the job.
 */
export interface EffectTask<P, W> {
  /** What `prepare`, `record` and `failed` serialise on. */
  lock(payload: P): WriteLock;
  prepare(tx: Tx, payload: P): Promise<W | null>;
  perform(work: W): Promise<void>;
  record(tx: Tx, work: W): Promise<void>;
  failed: FailureHook<P>;
}

export type Task<P> = DatabaseTask<P> | EffectTask<P, unknown>;

/** One task for every job kind, each typed by its kind's payload. */
export type TaskTable = { [K in JobKind]: Task<JobPayload<K>> };
