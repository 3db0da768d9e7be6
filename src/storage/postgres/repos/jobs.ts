import { JOB_SQL, toJob, toJobCensus, type JobCensusRow, type JobRow } from '../../rows/jobs.js';
import type { JobRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

interface RedrivenRow {
  id: number;
  failed_at: number;
  outbox_id: string | null;
}

/** Exported for the contract suite's plan checks. */
export const statements = {
  insert: sql<{ id: number }>(
    `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, outbox_id, turn)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ${JOB_SQL.nextTurn('$7')}) RETURNING id`,
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
  markFailed: sql("UPDATE jobs SET state = 'failed', attempts = $2, last_error = $3, failed_at = $4, locked_by = NULL, locked_at = NULL WHERE id = $1"),
  // Retries (docs/operations.md, Redrive). `j.state = 'failed'` again outside the sub-select:
  // a row another retry changed meanwhile is checked anew once its lock is free, and skipped.
  redriveBatch: sql<RedrivenRow>(
    `UPDATE jobs AS j SET ${JOB_SQL.redrive('$1', '$2')}
     WHERE j.state = 'failed' AND j.id IN (SELECT id FROM jobs
       WHERE state = 'failed' AND failed_at >= $3 AND (failed_at > $3 OR id > $4) AND failed_at <= $5 AND kind = ANY($6::text[])
       ORDER BY failed_at, id LIMIT $7)
     RETURNING id, failed_at, outbox_id`,
  ),
  redriveOne: sql<RedrivenRow>(`UPDATE jobs AS j SET ${JOB_SQL.redrive('$1', '$2')} WHERE j.id = $3 AND j.state = 'failed' RETURNING id, failed_at, outbox_id`),
  redriveDeliveries: sql<RedrivenRow>(
    `UPDATE jobs AS j SET ${JOB_SQL.redrive('$1', '$2')} WHERE j.outbox_id = ANY($3::text[]) AND j.state = 'failed' RETURNING id, failed_at, outbox_id`,
  ),
  enqueueDeliveries: sql(
    `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, outbox_id, turn)
     SELECT 'delivery.send', json_build_object('outboxId', o.id)::text, NULL, $2, $1, $3, '', o.id, ${JOB_SQL.nextTurn("''")}
     FROM outbox_messages o WHERE o.id = ANY($4::text[]) AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.outbox_id = o.id)`,
  ),
  release: sql(`UPDATE jobs SET held = FALSE, run_at = LEAST(run_at, $1) WHERE ${JOB_SQL.held}`),
  pendingForContact: sql<Count>(`SELECT count(*) AS n FROM jobs WHERE contact_id = $1 AND ${JOB_SQL.pending}`),
  pendingInLane: sql<JobRow>(`SELECT * FROM jobs WHERE lane = $1 AND ${JOB_SQL.pending} AND kind = $2`),
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
      const values = [job.kind, JSON.stringify(job.payload), job.contactId, job.runAt, job.held, job.createdAt, job.lane, job.outboxId];
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
    async markFailed(id, attempts, lastError, failedAt) {
      await s.markFailed.run(q, [id, attempts, lastError, failedAt]);
    },
    async redrive(which, { runAt, held }) {
      const rows =
        'jobId' in which
          ? await s.redriveOne.all(q, [held, runAt, which.jobId])
          : 'outboxIds' in which
            ? await s.redriveDeliveries.all(q, [held, runAt, which.outboxIds])
            : await s.redriveBatch.all(q, [held, runAt, which.after.failedAt, which.after.id, which.until, which.kinds, which.limit]);
      return rows.map((r) => ({ id: r.id, failedAt: r.failed_at, outboxId: r.outbox_id }));
    },
    async enqueueDeliveries(outboxIds, { runAt, held }, createdAt) {
      return s.enqueueDeliveries.run(q, [held, runAt, createdAt, outboxIds]);
    },
    release: (now) => s.release.run(q, [now]),
    async pendingForContact(contactId) {
      return (await s.pendingForContact.one(q, [contactId]))!.n;
    },
    async pendingInLane(lane, kind) {
      return (await s.pendingInLane.all(q, [lane, kind])).map(toJob);
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
