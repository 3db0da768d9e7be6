import type { MigrationSql } from './migration.js';

/**
 * Version 24: delegated administrators of trusted services (src/services/delegations.ts). A row
 * is one member registered for one service principal in its directory. The primary key serves
 * ListDelegatedAdministrators (the whole directory, or one service) and the per-service count;
 * the account index serves ListDelegatedServicesForAccount, the deletion refusal and the
 * clean-up when a member leaves. A directory holds at most (services x per-service maximum)
 * rows (RDMC_TRUSTED_SERVICES), which bounds every read.
 */
export default {
  name: 'delegated_administrators',
  sqlite: `
CREATE TABLE delegated_administrators (
  directory_id TEXT NOT NULL REFERENCES directories(id),
  service_principal TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  enabled_at INTEGER NOT NULL,
  PRIMARY KEY (directory_id, service_principal, account_id)
) WITHOUT ROWID;
CREATE INDEX delegated_administrators_account ON delegated_administrators(account_id, directory_id, service_principal);
`,
  postgres: `
CREATE TABLE delegated_administrators (
  directory_id TEXT COLLATE "C" NOT NULL REFERENCES directories(id),
  service_principal TEXT COLLATE "C" NOT NULL,
  account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
  enabled_at BIGINT NOT NULL,
  PRIMARY KEY (directory_id, service_principal, account_id)
);
CREATE INDEX delegated_administrators_account ON delegated_administrators(account_id, directory_id, service_principal);
`,
} satisfies MigrationSql;
