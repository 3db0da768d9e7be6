import type { Db } from '../db.js';
import { JOB_SQL, toJob as toRecord, toJobCensus, type JobCensusRow, type JobRow as Row } from '../../rows/jobs.js';
import type { JobRepo } from '../../store.js';

/** Exported for the contract suite's plan checks: the claim and a job's turn are index seeks; the admin list reads the newest jobs by the primary key. */
export const statements = {
  list: 'SELECT * FROM jobs ORDER BY id DESC LIMIT ?',
  insert: `INSERT INTO jobs (kind, payload, contact_id, run_at, held, created_at, lane, turn) VALUES (?, ?, ?, ?, ?, ?, ?, ${JOB_SQL.nextTurn('?')})`,
  reschedule: `UPDATE jobs AS j SET payload = ?, run_at = ?, attempts = ?, last_error = ?, locked_by = NULL, locked_at = NULL, turn = ${JOB_SQL.nextTurn('j.lane')}
     WHERE id = ?`,
  // SQLite has a single writer, so the sub-select and the update cannot race with another claim.
  // Without statistics SQLite would take the due range of jobs_due and sort it by turn: named,
  // the turn order is read from the index and the walk stops at the first job it may take.
  claim: `UPDATE jobs SET locked_by = ?, locked_at = ?
     WHERE id = (SELECT id FROM jobs INDEXED BY jobs_turn WHERE ${JOB_SQL.claimable('?', '?')} ${JOB_SQL.claimOrder} LIMIT 1)
     RETURNING *`,
  census: JOB_SQL.census('(SELECT value AS kind FROM json_each(@kinds)) AS k', '@cap'),
};

export function jobRepo(db: Db): JobRepo {
  const insert = db.prepare(statements.insert);
  const claim = db.prepare(statements.claim);
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const touch = db.prepare('UPDATE jobs SET locked_at = ? WHERE id = ? AND locked_by = ?');
  const complete = db.prepare('DELETE FROM jobs WHERE id = ?');
  const reschedule = db.prepare(statements.reschedule);
  const markFailed = db.prepare(
    "UPDATE jobs SET state = 'failed', attempts = ?, last_error = ?, locked_by = NULL, locked_at = NULL WHERE id = ?",
  );
  const release = db.prepare(`UPDATE jobs SET held = FALSE, run_at = min(run_at, ?) WHERE ${JOB_SQL.held}`);
  const pendingForContact = db.prepare(`SELECT count(*) AS n FROM jobs WHERE contact_id = ? AND ${JOB_SQL.pending}`);
  const pendingOfKind = db.prepare(`SELECT * FROM jobs WHERE kind = ? AND ${JOB_SQL.pending} ORDER BY id`);
  const releaseAllLocks = db.prepare('UPDATE jobs SET locked_by = NULL, locked_at = NULL WHERE locked_by IS NOT NULL');
  const nextRunAt = db.prepare(`SELECT min(run_at) AS t FROM jobs WHERE ${JOB_SQL.waiting}`);
  const list = db.prepare(statements.list);
  const census = db.prepare(statements.census);
  return {
    async insert(job) {
      const info = insert.run(job.kind, JSON.stringify(job.payload), job.contactId, job.runAt, job.held ? 1 : 0, job.createdAt, job.lane, job.lane);
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
    async markFailed(id, attempts, lastError) {
      markFailed.run(attempts, lastError, id);
    },
    async release(now) {
      return release.run(now).changes;
    },
    async pendingForContact(contactId) {
      return (pendingForContact.get(contactId) as { n: number }).n;
    },
    async pendingOfKind(kind) {
      return (pendingOfKind.all(kind) as Row[]).map(toRecord);
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
