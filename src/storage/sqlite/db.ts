import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { DEFAULT_DB } from '../../config/settings.js';
import { dirname } from 'node:path';
import { migrations } from '../migrations/index.js';
import { LEGACY_SENTINEL, LEGACY_TABLE, translateLegacy } from '../migrations/legacy.js';
import type { AppliedMigration } from '../migrations/migration.js';
import { pendingMigrations } from '../migrations/plan.js';
import { VERSIONS_TABLE } from '../schema-version.js';

export type Db = Database.Database;

/**
 * Opens the database file (creating the folder of the default path only: a mistyped path
 * must not leave folders behind), in WAL mode with synchronous=FULL so that
 * every acknowledged commit is on disk before the API answers, and brings the schema up to date.
 *
 * The file is locked for this connection alone (locking_mode=EXCLUSIVE, taken at once): rdmc
 * assumes that one process owns a SQLite file (its job locks and nonces rely on it), so a
 * second process fails at start instead of running jobs twice.
 */
export function openDatabase(path: string): Db {
  if (path === DEFAULT_DB) mkdirSync(dirname(path), { recursive: true });
  const db = openFile(path);
  try {
    db.pragma('busy_timeout = 2000');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new Error(`${path} is open in another process: a SQLite database belongs to one rdmc process (use PostgreSQL for several nodes)`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** SQLite's own words for a file it cannot open name neither the file nor the reason. */
function openFile(path: string): Db {
  try {
    return new Database(path);
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_CANTOPEN') throw err;
    throw new Error(`cannot open the SQLite database ${path}: ${whyNotOpen(path)}`, { cause: err });
  }
}

const REASONS: Record<string, string> = {
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  ENOENT: 'its folder does not exist',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

/** Asks the file system what SQLite met: opening the file (made and removed again when missing), then writing its folder. */
function whyNotOpen(path: string): string {
  const existed = existsSync(path);
  try {
    closeSync(openSync(path, existed ? 'r+' : 'wx'));
    if (!existed) unlinkSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    return `${REASONS[code] ?? (err as Error).message} (${code})`;
  }
  // SQLite keeps its -wal and -shm files beside the database.
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (err) {
    return `permission denied: its folder ${dirname(path)} cannot be written, and SQLite keeps its -wal and -shm files there (${(err as NodeJS.ErrnoException).code})`;
  }
  return 'unable to open database file (SQLite gave no other reason)';
}

/**
 * Brings the schema up to date (src/storage/migrations/) in one immediate transaction, as on
 * PostgreSQL: it translates the record of a database made before the one list, then applies
 * what is missing, in order. A second process migrating at the same moment waits for the lock,
 * then finds nothing left to do; a crash or a failing migration leaves no trace. A database
 * this build must not touch stops the open (`SchemaMismatch`).
 */
function migrate(db: Db): void {
  db.transaction(() => {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
    const translating = !has.get(VERSIONS_TABLE) && Boolean(has.get(LEGACY_TABLE));
    db.exec(`CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const record = db.prepare(`INSERT INTO ${VERSIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
    if (translating) {
      const legacy = db.prepare(`SELECT version, applied_at AS appliedAt FROM ${LEGACY_TABLE}`).all() as Array<{ version: number; appliedAt: number }>;
      for (const m of translateLegacy('sqlite', legacy, migrations)) record.run(m.version, m.name, m.appliedAt);
      db.prepare(`INSERT INTO ${LEGACY_TABLE} (version, applied_at) VALUES (?, ?)`).run(LEGACY_SENTINEL, Date.now());
    }
    const applied = db.prepare(`SELECT version, name FROM ${VERSIONS_TABLE}`).all() as AppliedMigration[];
    for (const m of pendingMigrations(applied, migrations, translating)) {
      db.exec(m.sqlite);
      record.run(m.version, m.name, Date.now());
    }
  }).immediate();
}
