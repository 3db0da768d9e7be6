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
