import type { JobRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';

/**
 * A task does one job's work inside the transaction that also completes the job, so its
 * database effects happen exactly once even if the worker dies and the job runs again.
 * Returning `{ continueWith }` saves a cursor and runs the job again (large fan-outs go in
 * batches and never hold one long transaction).
 */
export type TaskResult = { done: true } | { continueWith: Record<string, unknown> };

export type Task = (tx: Tx, job: JobRecord) => Promise<TaskResult>;

export type TaskTable = Record<string, Task>;
