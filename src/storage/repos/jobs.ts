import type { Executor } from '../executor.js';
import { JOB_SQL, toJob, toJobCensus, type JobCensusRow, type JobRow } from '../rows/jobs.js';
import { statement, type Count, type NoParams, type NoRow } from '../statement.js';
import type { JobRepo, JobSchedule, RedrivenJob } from '../store.js';

type RedrivenRow = { id: number; failed_at: number; outbox_id: string | null };
const redriven = (r: RedrivenRow): RedrivenJob => ({ id: r.id, failedAt: r.failed_at, outboxId: r.outbox_id });
type Schedule = { held: boolean; runAt: number };
const REDRIVE = JOB_SQL.redrive(':held', ':runAt');
const REDRIVEN = 'RETURNING id, failed_at, outbox_id';

/** Exported for the contract suite's plan checks: the claim and a job's turn are index seeks; the admin list reads the newest jobs by the primary key. */
export const statements = {
  insert: statement<
    { id: number },
    { kind: string; payload: string; contactId: string | null; runAt: number; held: boolean; createdAt: number; lane: string; outboxId: string | null }
  >(
    `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, outbox_id, turn)
     VALUES (:kind, :payload, :contactId, :runAt, :held, :createdAt, :lane, :outboxId, ${JOB_SQL.nextTurn(':lane')}) RETURNING id`,
  ),
  // SQLite has a single writer, so the sub-select and the update cannot race with another claim;
  // without statistics it would take the due range of jobs_due and sort it by turn, so the turn
  // order is read from the named index. On PostgreSQL workers of every node claim at once: SKIP
  // LOCKED passes over the rows another is claiming or running, so no job goes to two of them.
  claim: statement<JobRow, { owner: string; now: number; staleBefore: number }>(
    (d) => `UPDATE jobs SET locked_by = :owner, locked_at = :now
     WHERE id = (SELECT id FROM jobs ${d.indexedBy('jobs_turn')} WHERE ${JOB_SQL.claimable(':now', ':staleBefore')} ${JOB_SQL.claimOrder}
       LIMIT 1${d.name === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''})
     RETURNING *`,
  ),
  // SQLite's transaction holds the only write lock there is (and SQLite has no FOR UPDATE):
  // nothing else can claim meanwhile. PostgreSQL locks the row until the transaction ends.
  lock: statement<JobRow, { id: number }>((d) => `SELECT * FROM jobs WHERE id = :id${d.name === 'postgres' ? ' FOR UPDATE' : ''}`),
  touch: statement<NoRow, { id: number; owner: string; lockedAt: number }>(
    'UPDATE jobs SET locked_at = :lockedAt WHERE id = :id AND locked_by = :owner',
  ),
  complete: statement<NoRow, { id: number }>('DELETE FROM jobs WHERE id = :id'),
  reschedule: statement<NoRow, { id: number; payload: string; runAt: number; attempts: number; lastError: string | null }>(
    `UPDATE jobs AS j SET payload = :payload, run_at = :runAt, attempts = :attempts, last_error = :lastError, locked_by = NULL,
       locked_at = NULL, turn = ${JOB_SQL.nextTurn('j.lane')}
     WHERE id = :id`,
  ),
  markFailed: statement<NoRow, { id: number; attempts: number; lastError: string; failedAt: number }>(
    `UPDATE jobs SET state = 'failed', attempts = :attempts, last_error = :lastError, failed_at = :failedAt, locked_by = NULL, locked_at = NULL
     WHERE id = :id`,
  ),
  // Retries (docs/operations.md, Redrive). `j.state = 'failed'` again outside the sub-select:
  // on PostgreSQL a row another retry changed meanwhile is checked anew once its lock is free, and skipped.
  redriveBatch: statement<
    RedrivenRow,
    Schedule & { afterAt: number; afterId: number; until: number; kinds: readonly string[]; limit: number }
  >(
    (d) => `UPDATE jobs AS j SET ${REDRIVE}
     WHERE j.state = 'failed' AND j.id IN (SELECT id FROM jobs ${d.indexedBy('jobs_failed')}
       WHERE state = 'failed' AND failed_at >= :afterAt AND (failed_at > :afterAt OR id > :afterId) AND failed_at <= :until
         AND ${d.in('kind', 'kinds')}
       ORDER BY failed_at, id LIMIT :limit)
     ${REDRIVEN}`,
  ),
  redriveOne: statement<RedrivenRow, Schedule & { id: number }>(`UPDATE jobs AS j SET ${REDRIVE} WHERE j.id = :id AND j.state = 'failed' ${REDRIVEN}`),
  redriveDeliveries: statement<RedrivenRow, Schedule & { ids: readonly string[] }>(
    (d) => `UPDATE jobs AS j ${d.indexedBy('jobs_outbox')} SET ${REDRIVE}
     WHERE ${d.in('j.outbox_id', 'ids')} AND j.state = 'failed' ${REDRIVEN}`,
  ),
  // The payload as JSON text: SQLite's json_object is PostgreSQL's json_build_object.
  enqueueDeliveries: statement<NoRow, Schedule & { createdAt: number; ids: readonly string[] }>(
    (d) => `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, outbox_id, turn)
     SELECT 'delivery.send', ${d.name === 'sqlite' ? "json_object('outboxId', o.id)" : "json_build_object('outboxId', o.id)::text"},
       NULL, :runAt, :held, :createdAt, '', o.id, ${JOB_SQL.nextTurn("''")}
     FROM outbox_messages o WHERE ${d.in('o.id', 'ids')} AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.outbox_id = o.id)`,
  ),
  release: statement<NoRow, { now: number }>(
    `UPDATE jobs SET held = FALSE, run_at = CASE WHEN run_at < :now THEN run_at ELSE :now END WHERE ${JOB_SQL.held}`,
  ),
  pendingForContact: statement<Count, { contactId: string }>(`SELECT count(*) AS n FROM jobs WHERE contact_id = :contactId AND ${JOB_SQL.pending}`),
  // In no particular order: an ordered read would sort the lane's rows on PostgreSQL.
  pendingInLane: statement<JobRow, { lane: string; kind: string }>(`SELECT * FROM jobs WHERE lane = :lane AND ${JOB_SQL.pending} AND kind = :kind`),
  releaseAllLocks: statement<NoRow, NoParams>('UPDATE jobs SET locked_by = NULL, locked_at = NULL WHERE locked_by IS NOT NULL'),
  nextRunAt: statement<{ t: number | null }, NoParams>(`SELECT min(run_at) AS t FROM jobs WHERE ${JOB_SQL.waiting}`),
  list: statement<JobRow, { limit: number }>('SELECT * FROM jobs ORDER BY id DESC LIMIT :limit'),
  census: statement<JobCensusRow, { kinds: readonly string[]; cap: number }>((d) => JOB_SQL.census(d.table('kinds', 'k', 'kind'), ':cap')),
};
const s = statements;

const schedule = ({ runAt, held }: JobSchedule): Schedule => ({ runAt, held });

export function jobRepo(x: Executor): JobRepo {
  return {
    async insert(job) {
      const { kind, contactId, runAt, held, createdAt, lane, outboxId } = job;
      return (await x.one(s.insert, { kind, payload: JSON.stringify(job.payload), contactId, runAt, held, createdAt, lane, outboxId }))!.id;
    },
    async claim(owner, now, staleBefore) {
      const r = await x.one(s.claim, { owner, now, staleBefore });
      return r && toJob(r);
    },
    async lock(id) {
      const r = await x.one(s.lock, { id });
      return r && toJob(r);
    },
    touch: async (id, owner, lockedAt) => (await x.run(s.touch, { id, owner, lockedAt })) === 1,
    async complete(id) {
      await x.run(s.complete, { id });
    },
    async reschedule(id, payload, runAt, attempts, lastError) {
      await x.run(s.reschedule, { id, payload: JSON.stringify(payload), runAt, attempts, lastError });
    },
    async markFailed(id, attempts, lastError, failedAt) {
      await x.run(s.markFailed, { id, attempts, lastError, failedAt });
    },
    async redrive(which, when) {
      const rows =
        'jobId' in which
          ? await x.all(s.redriveOne, { ...schedule(when), id: which.jobId })
          : 'outboxIds' in which
            ? await x.all(s.redriveDeliveries, { ...schedule(when), ids: which.outboxIds })
            : await x.all(s.redriveBatch, {
                ...schedule(when),
                afterAt: which.after.failedAt,
                afterId: which.after.id,
                until: which.until,
                kinds: which.kinds,
                limit: which.limit,
              });
      return rows.map(redriven);
    },
    enqueueDeliveries: (outboxIds, when, createdAt) => x.run(s.enqueueDeliveries, { ...schedule(when), createdAt, ids: outboxIds }),
    release: (now) => x.run(s.release, { now }),
    async pendingForContact(contactId) {
      return (await x.one(s.pendingForContact, { contactId }))!.n;
    },
    async pendingInLane(lane, kind) {
      return (await x.all(s.pendingInLane, { lane, kind })).map(toJob);
    },
    async releaseAllLocks() {
      await x.run(s.releaseAllLocks, {});
    },
    async nextRunAt() {
      return (await x.one(s.nextRunAt, {}))!.t;
    },
    async list(limit) {
      return (await x.all(s.list, { limit })).map(toJob);
    },
    async census(kinds, cap) {
      return (await x.all(s.census, { kinds, cap })).map(toJobCensus);
    },
  };
}
