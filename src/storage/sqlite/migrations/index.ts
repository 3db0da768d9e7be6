import m0001 from './0001_initial.js';
import m0002 from './0002_message_centers.js';
import m0003 from './0003_verification_and_delivery.js';
import m0004 from './0004_scale_indexes.js';
import m0005 from './0005_signature_nonces.js';
import m0006 from './0006_retention_and_order.js';
import m0007 from './0007_directory_state.js';
import m0009 from './0009_outbox_by_time.js';
import m0010 from './0010_one_join_order_index.js';
import m0011 from './0011_accounts_in_join_order.js';
import m0012 from './0012_tag_and_display_name_indexes.js';
import m0013 from './0013_sends_by_time.js';
import m0014 from './0014_job_lanes.js';
import m0020 from './0020_directory_account_counts.js';
import m0021 from './0021_console_sessions.js';
import m0022 from './0022_audit_trail.js';
import m0026 from './0026_gauge_indexes.js';
import m0027 from './0027_outbox_address_any_case.js';
import m0023 from './0023_redrive.js';
/** Numbered, append-only: a landed migration is never edited, a change is a new number. */
export const migrations: Array<{ version: number; sql: string }> = [
  { version: 1, sql: m0001 },
  { version: 2, sql: m0002 },
  { version: 3, sql: m0003 },
  { version: 4, sql: m0004 },
  { version: 5, sql: m0005 },
  { version: 6, sql: m0006 },
  { version: 7, sql: m0007 },
  { version: 9, sql: m0009 },
  { version: 10, sql: m0010 },
  { version: 11, sql: m0011 },
  { version: 12, sql: m0012 },
  { version: 13, sql: m0013 },
  { version: 14, sql: m0014 },
  { version: 20, sql: m0020 },
  { version: 21, sql: m0021 },
  { version: 22, sql: m0022 },
  { version: 23, sql: m0023 },
  { version: 26, sql: m0026 },
  { version: 27, sql: m0027 },
];

/** The schema this release needs, exactly: see `SqliteStore.probe`. */
export const MIGRATION_VERSIONS = migrations.map((m) => m.version);
