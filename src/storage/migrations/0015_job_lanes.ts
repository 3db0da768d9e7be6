import type { MigrationSql } from './migration.js';

/**
 * Version 15: jobs take turns by directory (their lane), so one tenant's jobs cannot hold another's
 * back (src/storage/rows/jobs.ts, JOB_SQL.nextTurn). The claim reads the queue in turn order; a job
 * joining its lane reads the smallest turn waiting and its lane's largest. Jobs queued before the
 * upgrade keep turn 0 and run first. (Numbered SQLite 14, PostgreSQL 17 before the two lists became
 * one.)
 */
export default {
  name: 'job_lanes',
  sqlite: `
ALTER TABLE jobs ADD COLUMN lane TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
CREATE INDEX jobs_turn ON jobs(state, held, turn, id);
CREATE INDEX jobs_lane ON jobs(lane, state, turn);
`,
  postgres: `
ALTER TABLE jobs ADD COLUMN lane TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN turn BIGINT NOT NULL DEFAULT 0;
CREATE INDEX jobs_turn ON jobs(state, held, turn, id);
CREATE INDEX jobs_lane ON jobs(lane, state, turn);
`,
} satisfies MigrationSql;
