import type { Migration } from './migration.js';
import m0001 from './0001_initial.js';
import m0002 from './0002_message_centers.js';
import m0003 from './0003_signature_nonces.js';
import m0004 from './0004_verification_and_delivery.js';
import m0005 from './0005_unlogged_nonces.js';
import m0006 from './0006_scale_indexes.js';
import m0007 from './0007_retention_and_order.js';
import m0008 from './0008_directory_state.js';
import m0009 from './0009_outbox_by_time.js';
import m0010 from './0010_one_join_order_index.js';
import m0011 from './0011_accounts_in_join_order.js';
import m0012 from './0012_logged_nonces.js';
import m0013 from './0013_tag_and_display_name_indexes.js';
import m0014 from './0014_sends_by_time.js';
import m0015 from './0015_job_lanes.js';
import m0016 from './0016_directory_account_counts.js';
import m0017 from './0017_console_sessions.js';
import m0018 from './0018_audit_trail.js';
import m0019 from './0019_redrive.js';
import m0020 from './0020_gauge_indexes.js';
import m0021 from './0021_outbox_address_any_case.js';
import m0022 from './0022_sts_sessions.js';
import m0023 from './0023_control_policies.js';
import m0024 from './0024_delegated_administrators.js';
import m0025 from './0025_handshakes.js';
import m0026 from './0026_control_policy_attachment_counts.js';

/**
 * Every change of the schema, in the order it is applied, for both stores. A change's version
 * is its place in this list (its file's number says the same, and test/unit/migrations.test.ts
 * checks both), so versions are one per change, in order, without gaps. Append only: a landed
 * migration is never edited or moved, and a new one takes the next number (the same test pins
 * each landed migration's text).
 */
export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
  m0018,
  m0019,
  m0020,
  m0021,
  m0022,
  m0023,
  m0024,
  m0025,
  m0026,
].map((m, i) => ({ version: i + 1, ...m }));

/** The schema this build needs, exactly: a database that lacks one of these, or holds another, is not ready. */
export const MIGRATION_VERSIONS: readonly number[] = migrations.map((m) => m.version);
