import { JOB_SQL, toJob, toJobCensus, type JobCensusRow, type JobRow } from '../../rows/jobs.js';
import type { JobRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

/** Exported for the contract suite's plan checks. */
export const statements = {
  insert: sql<{ id: number }>(
    `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, turn)
     VALUES ($1, $2, $3, $4, $5, $6, $7, ${JOB_SQL.nextTurn('$7')}) RETURNING id`,
  ),
  // SKIP LOCKED: workers of every node claim at once, each passing over the rows another
  // is claiming or running, so no job is ever handed to two of them.
  claim: sql<JobRow>(
    `UPDATE jobs SET locked_by = $1, locked_at = $2
     WHERE id = (SELECT id FROM jobs WHERE ${JOB_SQL.claimable('$2', '$3')} ${JOB_SQL.claimOrder} LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
  ),
  lock: sql<JobRow>('SELECT * FROM jobs WHERE id = $1 FOR UPDATE'),
  touch: sql('UPDATE jobs SET locked_at = $3 WHERE id = $1 AND locked_by = $2'),
  complete: sql('DELETE FROM jobs WHERE id = $1'),
  reschedule: sql(
    `UPDATE jobs AS j SET payload = $2, run_at = $3, attempts = $4, last_error = $5, locked_by = NULL, locked_at = NULL, turn = ${JOB_SQL.nextTurn('j.lane')}
     WHERE id = $1`,
  ),
  markFailed: sql("UPDATE jobs SET state = 'failed', attempts = $2, last_error = $3, locked_by = NULL, locked_at = NULL WHERE id = $1"),
  release: sql(`UPDATE jobs SET held = FALSE, run_at = LEAST(run_at, $1) WHERE ${JOB_SQL.held}`),
  pendingForContact: sql<Count>(`SELECT count(*) AS n FROM jobs WHERE contact_id = $1 AND ${JOB_SQL.pending}`),
  pendingOfKind: sql<JobRow>(`SELECT * FROM jobs WHERE kind = $1 AND ${JOB_SQL.pending} ORDER BY id`),
  releaseAllLocks: sql('UPDATE jobs SET locked_by = NULL, locked_at = NULL WHERE locked_by IS NOT NULL'),
  nextRunAt: sql<{ t: number | null }>(`SELECT min(run_at) AS t FROM jobs WHERE ${JOB_SQL.waiting}`),
  list: sql<JobRow>('SELECT * FROM jobs ORDER BY id DESC LIMIT $1'),
  census: sql<JobCensusRow>(JOB_SQL.census('unnest($1::text[]) AS k(kind)', '$2')),
};
const s = statements;

export function jobRepo(q: Queryable): JobRepo {
  const one = async (r: Promise<JobRow | null>) => {
    const row = await r;
    return row && toJob(row);
  };
  return {
    async insert(job) {
      const values = [job.kind, JSON.stringify(job.payload), job.contactId, job.runAt, job.held, job.createdAt, job.lane];
      return (await s.insert.one(q, values))!.id;
    },
    claim: (owner, now, staleBefore) => one(s.claim.one(q, [owner, now, staleBefore])),
    lock: (id) => one(s.lock.one(q, [id])),
    touch: async (id, owner, lockedAt) => (await s.touch.run(q, [id, owner, lockedAt])) === 1,
    async complete(id) {
      await s.complete.run(q, [id]);
    },
    async reschedule(id, payload, runAt, attempts, lastError) {
      await s.reschedule.run(q, [id, JSON.stringify(payload), runAt, attempts, lastError]);
    },
    async markFailed(id, attempts, lastError) {
      await s.markFailed.run(q, [id, attempts, lastError]);
    },
    release: (now) => s.release.run(q, [now]),
    async pendingForContact(contactId) {
      return (await s.pendingForContact.one(q, [contactId]))!.n;
    },
    async pendingOfKind(kind) {
      return (await s.pendingOfKind.all(q, [kind])).map(toJob);
    },
    async releaseAllLocks() {
      await s.releaseAllLocks.run(q);
    },
    async nextRunAt() {
      return (await s.nextRunAt.one(q))!.t;
    },
    async list(limit) {
      return (await s.list.all(q, [limit])).map(toJob);
    },
    async census(kinds, cap) {
      return (await s.census.all(q, [kinds, cap])).map(toJobCensus);
    },
  };
}
