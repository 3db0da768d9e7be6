import type { JobRecord } from '../records.js';
import type { JobCensus } from '../store.js';

/** A `jobs` row as both dialects return it: the flag is 0/1 in SQLite, a boolean in PostgreSQL. */
export interface JobRow {
  id: number;
  kind: string;
  /** JSON text. */
  payload: string;
  contact_id: string | null;
  run_at: number;
  held: number | boolean;
  attempts: number;
  locked_by: string | null;
  locked_at: number | null;
  last_error: string | null;
  state: JobRecord['state'];
  created_at: number;
  lane: string;
  failed_at: number | null;
  redrives: number;
  prior_attempts: number;
  outbox_id: string | null;
}

export const toJob = (r: JobRow): JobRecord => ({
  id: r.id,
  kind: r.kind,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  contactId: r.contact_id,
  runAt: r.run_at,
  held: Boolean(r.held),
  attempts: r.attempts,
  lockedBy: r.locked_by,
  lockedAt: r.locked_at,
  lastError: r.last_error,
  state: r.state,
  createdAt: r.created_at,
  lane: r.lane,
  failedAt: r.failed_at,
  redrives: r.redrives,
  priorAttempts: r.prior_attempts,
  outboxId: r.outbox_id,
});

/**
 * The job rules in SQL text both dialects accept (SQLite reads TRUE and FALSE as 1 and 0):
 * what pending means, which jobs a worker may claim and in what order, which ones the
 * worker's timer waits for, which are held, for the statements of src/storage/repos/jobs.ts.
 * `now`, `staleBefore` and the like are the statement's named parameters. The storage contract suite checks the behaviour on every store.
 */
export const JOB_SQL = {
  pending: "state = 'pending'",
  /** Due, not held, and unlocked or locked by a worker that went stale; read in `claimOrder` from jobs_turn. */
  claimable: (now: string, staleBefore: string) =>
    `state = 'pending' AND held = FALSE AND run_at <= ${now} AND (locked_at IS NULL OR locked_at < ${staleBefore})`,
  /**
   * Lanes take turns (round robin by directory). A job joining the queue, or going back to it
   * after a batch or a failed attempt, takes the turn after its own lane's last, but never
   * one before the smallest turn waiting: a tenant with a hundred jobs queued holds a
   * newcomer of another lane back by the one batch at the head of its lane, not by a hundred,
   * and its own jobs go round among themselves. Two index seeks (jobs_turn, jobs_lane).
   * `lane` is an SQL expression naming the job's lane.
   */
  nextTurn: (lane: string) =>
    `(SELECT max(t) FROM (
       SELECT coalesce(min(turn), 0) AS t FROM jobs WHERE state = 'pending' AND held = FALSE
       UNION ALL SELECT coalesce(max(turn) + 1, 0) AS t FROM jobs WHERE lane = ${lane} AND state = 'pending') AS turns)`,
  claimOrder: 'ORDER BY turn, id',
  /** What the worker's timer waits for: a job locked elsewhere is announced again when released. */
  waiting: "state = 'pending' AND held = FALSE AND locked_by IS NULL",
  held: "state = 'pending' AND held = TRUE",
  /**
   * One row per kind of `kinds` (a row source aliased `k`, with a `kind` column): its jobs by
   * state, each count a walk of jobs_census that stops at `cap`, and the first `run_at` of its
   * pending range, one seek. A table of any size costs a scrape at most kinds x 3 x `cap` index entries.
   */
  census: (kinds: string, cap: string) => {
    const count = (where: string) => `(SELECT count(*) FROM (SELECT 1 FROM jobs WHERE kind = k.kind AND ${where} LIMIT ${cap}) AS c)`;
    return `SELECT k.kind AS kind,
       ${count("state = 'pending' AND held = FALSE")} AS pending,
       ${count("state = 'pending' AND held = TRUE")} AS held,
       ${count("state = 'failed'")} AS failed,
       (SELECT min(run_at) FROM jobs WHERE kind = k.kind AND state = 'pending' AND held = FALSE) AS oldest_run_at
     FROM ${kinds}`;
  },
  /**
   * A retry by an operator (docs/operations.md, Redrive): a fresh attempt budget, the spent
   * attempts added to `prior_attempts`, the last error and `failed_at` kept as history, the
   * job back in its lane's queue. For `UPDATE jobs AS j ... WHERE j.state = 'failed'`; `held`
   * and `runAt` are named parameters.
   */
  redrive: (held: string, runAt: string): string =>
    `state = 'pending', held = ${held}, run_at = ${runAt}, prior_attempts = j.prior_attempts + j.attempts, attempts = 0,
     redrives = j.redrives + 1, locked_by = NULL, locked_at = NULL, turn = ${JOB_SQL.nextTurn('j.lane')}`,
};

/** A row of JOB_SQL.census as both dialects return it. */
export interface JobCensusRow {
  kind: string;
  pending: number;
  held: number;
  failed: number;
  oldest_run_at: number | null;
}

export const toJobCensus = (r: JobCensusRow): JobCensus => ({ kind: r.kind, pending: r.pending, held: r.held, failed: r.failed, oldestRunAt: r.oldest_run_at });
