import type { Db } from '../db.js';
import { JOB_SQL, toJob as toRecord, toJobCensus, type JobCensusRow, type JobRow as Row } from '../../rows/jobs.js';
import type { JobRepo, RedrivenJob } from '../../store.js';

const REDRIVE = JOB_SQL.redrive('@held', '@runAt');
const redriven = (r: { id: number; failed_at: number; outbox_id: string | null }): RedrivenJob => ({ id: r.id, failedAt: r.failed_at, outboxId: r.outbox_id });

/** Exported for the contract suite's plan checks: the claim and a job's turn are index seeks; the admin list reads the newest jobs by the primary key. */
export const statements = {
  list: 'SELECT * FROM jobs ORDER BY id DESC LIMIT ?',
  // In no particular order: an ordered read would sort the lane's rows on PostgreSQL.
  pendingInLane: `SELECT * FROM jobs WHERE lane = ? AND ${JOB_SQL.pending} AND kind = ?`,
  insert: `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, outbox_id, turn)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${JOB_SQL.nextTurn('?')})`,
  reschedule: `UPDATE jobs AS j SET payload = ?, run_at = ?, attempts = ?, last_error = ?, locked_by = NULL, locked_at = NULL, turn = ${JOB_SQL.nextTurn('j.lane')}
     WHERE id = ?`,
  // SQLite has a single writer, so the sub-select and the update cannot race with another claim.
  // Without statistics SQLite would take the due range of jobs_due and sort it by turn: named,
  // the turn order is read from the index and the walk stops at the first job it may take.
  claim: `UPDATE jobs SET locked_by = ?, locked_at = ?
     WHERE id = (SELECT id FROM jobs INDEXED BY jobs_turn WHERE ${JOB_SQL.claimable('?', '?')} ${JOB_SQL.claimOrder} LIMIT 1)
     RETURNING *`,
  census: JOB_SQL.census('(SELECT value AS kind FROM json_each(@kinds)) AS k', '@cap'),
  // Retries (docs/operations.md, Redrive): lists travel as one JSON parameter, so the text is fixed.
  redriveBatch: `UPDATE jobs AS j SET ${REDRIVE}
     WHERE j.state = 'failed' AND j.id IN (SELECT id FROM jobs INDEXED BY jobs_failed
       WHERE state = 'failed' AND failed_at >= @afterAt AND (failed_at > @afterAt OR id > @afterId) AND failed_at <= @until
         AND kind IN (SELECT value FROM json_each(@kinds))
       ORDER BY failed_at, id LIMIT @limit)
     RETURNING id, failed_at, outbox_id`,
  redriveOne: `UPDATE jobs AS j SET ${REDRIVE} WHERE j.id = @id AND j.state = 'failed' RETURNING id, failed_at, outbox_id`,
  redriveDeliveries: `UPDATE jobs AS j INDEXED BY jobs_outbox SET ${REDRIVE}
     WHERE j.outbox_id IN (SELECT value FROM json_each(@ids)) AND j.state = 'failed' RETURNING id, failed_at, outbox_id`,
  enqueueDeliveries: `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, outbox_id, turn)
     SELECT 'delivery.send', json_object('outboxId', o.id), NULL, @runAt, @held, @createdAt, '', o.id, ${JOB_SQL.nextTurn("''")}
     FROM outbox_messages o WHERE o.id IN (SELECT value FROM json_each(@ids)) AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.outbox_id = o.id)`,
};

export function jobRepo(db: Db): JobRepo {
  const insert = db.prepare(statements.insert);
  const claim = db.prepare(statements.claim);
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const touch = db.prepare('UPDATE jobs SET locked_at = ? WHERE id = ? AND locked_by = ?');
  const complete = db.prepare('DELETE FROM jobs WHERE id = ?');
  const reschedule = db.prepare(statements.reschedule);
  const markFailed = db.prepare(
    "UPDATE jobs SET state = 'failed', attempts = ?, last_error = ?, failed_at = ?, locked_by = NULL, locked_at = NULL WHERE id = ?",
  );
  const redriveBatch = db.prepare(statements.redriveBatch);
  const redriveOne = db.prepare(statements.redriveOne);
  const redriveDeliveries = db.prepare(statements.redriveDeliveries);
  const enqueueDeliveries = db.prepare(statements.enqueueDeliveries);
  const release = db.prepare(`UPDATE jobs SET held = FALSE, run_at = min(run_at, ?) WHERE ${JOB_SQL.held}`);
  const pendingForContact = db.prepare(`SELECT count(*) AS n FROM jobs WHERE contact_id = ? AND ${JOB_SQL.pending}`);
  const pendingInLane = db.prepare(statements.pendingInLane);
  const releaseAllLocks = db.prepare('UPDATE jobs SET locked_by = NULL, locked_at = NULL WHERE locked_by IS NOT NULL');
  const nextRunAt = db.prepare(`SELECT min(run_at) AS t FROM jobs WHERE ${JOB_SQL.waiting}`);
  const list = db.prepare(statements.list);
  const census = db.prepare(statements.census);
  return {
    async insert(job) {
      const info = insert.run(job.kind, JSON.stringify(job.payload), job.contactId, job.runAt, job.held ? 1 : 0, job.createdAt, job.lane, job.outboxId, job.lane);
      return Number(info.lastInsertRowid);
    },
    async claim(owner, now, staleBefore) {
      const r = claim.get(owner, now, now, staleBefore) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    // The transaction holds the only write lock there is: nothing else can claim meanwhile.
    async lock(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async touch(id, owner, lockedAt) {
      return touch.run(lockedAt, id, owner).changes === 1;
    },
    async complete(id) {
      complete.run(id);
    },
    async reschedule(id, payload, runAt, attempts, lastError) {
      reschedule.run(JSON.stringify(payload), runAt, attempts, lastError, id);
    },
    async markFailed(id, attempts, lastError, failedAt) {
      markFailed.run(attempts, lastError, failedAt, id);
    },
    async redrive(which, { runAt, held }) {
      const schedule = { runAt, held: held ? 1 : 0 };
      const rows =
        'jobId' in which
          ? redriveOne.all({ ...schedule, id: which.jobId })
          : 'outboxIds' in which
            ? redriveDeliveries.all({ ...schedule, ids: JSON.stringify(which.outboxIds) })
            : redriveBatch.all({
                ...schedule,
                afterAt: which.after.failedAt,
                afterId: which.after.id,
                until: which.until,
                kinds: JSON.stringify(which.kinds),
                limit: which.limit,
              });
      return (rows as Array<Parameters<typeof redriven>[0]>).map(redriven);
    },
    async enqueueDeliveries(outboxIds, { runAt, held }, createdAt) {
      return enqueueDeliveries.run({ runAt, held: held ? 1 : 0, createdAt, ids: JSON.stringify(outboxIds) }).changes;
    },
    async release(now) {
      return release.run(now).changes;
    },
    async pendingForContact(contactId) {
      return (pendingForContact.get(contactId) as { n: number }).n;
    },
    async pendingInLane(lane, kind) {
      return (pendingInLane.all(lane, kind) as Row[]).map(toRecord);
    },
    async releaseAllLocks() {
      releaseAllLocks.run();
    },
    async nextRunAt() {
      return (nextRunAt.get() as { t: number | null }).t;
    },
    async list(limit) {
      return (list.all(limit) as Row[]).map(toRecord);
    },
    async census(kinds, cap) {
      return (census.all({ kinds: JSON.stringify(kinds), cap }) as JobCensusRow[]).map(toJobCensus);
    },
  };
}
