import type { MigrationSql } from './migration.js';

/**
 * Version 26: how many targets each policy of a directory is attached to, so GetControlPolicy,
 * ListControlPolicies and ListTargetAttachmentsForControlPolicy read one row by primary key
 * instead of counting the policy's range of `control_policy_attachments_policy` (the system
 * policy's is every folder and member: 100,000 entries, 150-390 ms on PostgreSQL, on every read).
 * The repo keeps it in the statements that write attachments (src/storage/repos/control-policies.ts):
 * an insert adds the rows it inserted, a delete takes off the rows it returned, grouped by policy;
 * dropping a directory's attachments drops its counts. Wipes empty it with the rest.
 * Bounded like the policies: one row per custom policy of a directory (1,500 at most) and one
 * for the system policy. Filled here from the attachments already stored.
 */
export default {
  name: 'control_policy_attachment_counts',
  sqlite: `
CREATE TABLE control_policy_attachment_counts (
  directory_id TEXT NOT NULL REFERENCES directories(id),
  policy_id TEXT NOT NULL,
  attachments INTEGER NOT NULL,
  PRIMARY KEY (directory_id, policy_id)
) WITHOUT ROWID;
INSERT INTO control_policy_attachment_counts (directory_id, policy_id, attachments)
  SELECT directory_id, policy_id, count(*) FROM control_policy_attachments GROUP BY directory_id, policy_id;
`,
  postgres: `
CREATE TABLE control_policy_attachment_counts (
  directory_id TEXT COLLATE "C" NOT NULL REFERENCES directories(id),
  policy_id TEXT COLLATE "C" NOT NULL,
  attachments BIGINT NOT NULL,
  PRIMARY KEY (directory_id, policy_id)
);
INSERT INTO control_policy_attachment_counts (directory_id, policy_id, attachments)
  SELECT directory_id, policy_id, count(*) FROM control_policy_attachments GROUP BY directory_id, policy_id;
`,
} satisfies MigrationSql;
