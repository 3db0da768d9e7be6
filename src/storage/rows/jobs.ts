import type { JobRecord } from '../records.js';

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
});

/**
 * The job rules in SQL text both dialects accept (SQLite reads TRUE and FALSE as 1 and 0):
 * what pending means, which jobs a worker may claim and in what order, which ones the
 * worker's timer waits for, which are held. `now` and `staleBefore` are the dialect's
 * placeholders. The storage contract suite checks the behaviour on every store.
 */
export const JOB_SQL = {
  pending: "state = 'pending'",
  /** Due, not held, and unlocked or locked by a worker that went stale. */
  claimable: (now: string, staleBefore: string) =>
    `state = 'pending' AND held = FALSE AND run_at <= ${now} AND (locked_at IS NULL OR locked_at < ${staleBefore})`,
  claimOrder: 'ORDER BY run_at, id',
  /** What the worker's timer waits for: a job locked elsewhere is announced again when released. */
  waiting: "state = 'pending' AND held = FALSE AND locked_by IS NULL",
  held: "state = 'pending' AND held = TRUE",
};
