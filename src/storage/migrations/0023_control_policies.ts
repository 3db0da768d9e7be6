import type { MigrationSql } from './migration.js';

/**
 * Version 23: control policies (src/services/control-policies.ts). `control_policies` holds a
 * directory's custom policies only: the system policy cp-FullAliyunAccess is the same for every
 * directory and lives in code (src/domain/control-policy-rules.ts), so enabling the feature
 * writes no policy row. `control_policy_attachments` holds the attachments of custom and system
 * policies alike, keyed by target (the target's list, its count, dropping a target's
 * attachments) with a second index by policy (a policy's targets, its attachment count, the
 * delete-while-attached check). Quotas bound both: 1,500 policies per directory
 * (Alibaba's limit), 10 custom attachments per target plus the system one, and
 * targets are bounded by the folder and member quotas.
 */
export default {
  name: 'control_policies',
  sqlite: `
CREATE TABLE control_policies (
  id TEXT PRIMARY KEY,
  directory_id TEXT NOT NULL REFERENCES directories(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  effect_scope TEXT NOT NULL,
  document TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE UNIQUE INDEX control_policies_name ON control_policies(directory_id, name);
CREATE INDEX control_policies_order ON control_policies(directory_id, create_time, id);

CREATE TABLE control_policy_attachments (
  directory_id TEXT NOT NULL REFERENCES directories(id),
  target_id TEXT NOT NULL,
  policy_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  attach_time INTEGER NOT NULL,
  PRIMARY KEY (directory_id, target_id, policy_id)
) WITHOUT ROWID;
CREATE INDEX control_policy_attachments_policy ON control_policy_attachments(directory_id, policy_id, attach_time, target_id);
`,
  postgres: `
CREATE TABLE control_policies (
  id TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" NOT NULL REFERENCES directories(id),
  name TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  effect_scope TEXT COLLATE "C" NOT NULL,
  document TEXT COLLATE "C" NOT NULL,
  create_time BIGINT NOT NULL,
  update_time BIGINT NOT NULL
);
CREATE UNIQUE INDEX control_policies_name ON control_policies(directory_id, name);
CREATE INDEX control_policies_order ON control_policies(directory_id, create_time, id);

CREATE TABLE control_policy_attachments (
  directory_id TEXT COLLATE "C" NOT NULL REFERENCES directories(id),
  target_id TEXT COLLATE "C" NOT NULL,
  policy_id TEXT COLLATE "C" NOT NULL,
  target_type TEXT COLLATE "C" NOT NULL,
  attach_time BIGINT NOT NULL,
  PRIMARY KEY (directory_id, target_id, policy_id)
);
CREATE INDEX control_policy_attachments_policy ON control_policy_attachments(directory_id, policy_id, attach_time, target_id);
`,
} satisfies MigrationSql;
