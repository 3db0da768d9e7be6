import type { JobRecord } from '../storage/records.js';
import type { Tx, WriteLock } from '../storage/store.js';

/**
 * A database task does one job's work inside the transaction that also completes the job,
 * so its effects happen exactly once even if the worker dies and the job runs again.
 * Returning `{ continueWith }` saves a cursor and runs the job again (large fan-outs go in
 * batches and never hold one long transaction).
 */
export type TaskResult = { done: true } | { continueWith: Record<string, unknown> };

/** Notes a failed attempt in the job's own terms; `final` when the job gives up for good. */
export type FailureHook = (tx: Tx, job: JobRecord, error: string, final: boolean) => Promise<void>;

export interface DatabaseTask {
  /** What `run` and `failed` serialise on: both write under it (see src/services/locks.ts). */
  lock(job: JobRecord): WriteLock;
  run(tx: Tx, job: JobRecord): Promise<TaskResult>;
  failed?: FailureHook;
}

/**
 * A task whose effect leaves the database (an e-mail, an HTTP call). The effect never runs
 * inside a transaction: `prepare` reads what to do (null: nothing left, the job is done),
 * `perform` does it while the worker keeps the job's lock fresh, `record` notes the success
 * in the transaction that completes the job.
 */
export interface EffectTask<W> {
  prepare(tx: Tx, job: JobRecord): Promise<W | null>;
  perform(work: W): Promise<void>;
  record(tx: Tx, work: W): Promise<void>;
  failed: FailureHook;
}

export type Task = DatabaseTask | EffectTask<any>;

export type TaskTable = Record<string, Task>;
