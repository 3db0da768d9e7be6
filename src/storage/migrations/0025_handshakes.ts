import type { MigrationSql } from './migration.js';

/**
 * Version 25: invitations between tenants (handshakes, src/services/handshakes.ts). A row is
 * the invitation as sent, its status, and `ended_at`: when it stopped mattering, which retention
 * counts its 30 days from (its expiry while pending, the answer's time once declined or
 * cancelled, the member's removal once accepted; none while an accepted member stays). The
 * indexes serve: the directory's list and its 24-hour send counts (directory, created), the
 * invitee's list and the one-pending-per-target rule (target, status), and pruning (ended).
 */
export default {
  name: 'handshakes',
  sqlite: `
CREATE TABLE handshakes (
  id TEXT PRIMARY KEY,
  directory_id TEXT NOT NULL,
  master_account_id TEXT NOT NULL,
  master_account_name TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_entity TEXT NOT NULL,
  target_account_id TEXT NOT NULL,
  note TEXT NOT NULL,
  parent_folder_id TEXT,
  tags TEXT NOT NULL,
  status TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  modify_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  ended_at INTEGER
) WITHOUT ROWID;
CREATE INDEX handshakes_directory ON handshakes(directory_id, create_time);
CREATE INDEX handshakes_target ON handshakes(target_account_id, status, create_time);
CREATE INDEX handshakes_ended ON handshakes(ended_at);
`,
  postgres: `
CREATE TABLE handshakes (
  id TEXT COLLATE "C" PRIMARY KEY,
  directory_id TEXT COLLATE "C" NOT NULL,
  master_account_id TEXT COLLATE "C" NOT NULL,
  master_account_name TEXT NOT NULL,
  target_type TEXT COLLATE "C" NOT NULL,
  target_entity TEXT NOT NULL,
  target_account_id TEXT COLLATE "C" NOT NULL,
  note TEXT NOT NULL,
  parent_folder_id TEXT COLLATE "C",
  tags TEXT NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  create_time BIGINT NOT NULL,
  modify_time BIGINT NOT NULL,
  expire_time BIGINT NOT NULL,
  ended_at BIGINT
);
CREATE INDEX handshakes_directory ON handshakes(directory_id, create_time);
CREATE INDEX handshakes_target ON handshakes(target_account_id, status, create_time);
CREATE INDEX handshakes_ended ON handshakes(ended_at);
`,
} satisfies MigrationSql;
