import { SqliteStore, type Writability } from './sqlite/store.js';
import type { OutageLog } from './outage.js';
import type { Store } from './store.js';

export const isPostgresUrl = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** The `db` setting as it may be printed: a PostgreSQL password never reaches a log. */
export function describeDb(db: string): string {
  if (!isPostgresUrl(db)) return db;
  const url = new URL(db);
  if (url.password) url.password = '***';
  return url.toString();
}

export interface StoreSettings {
  /** A SQLite file path, `:memory:`, or a postgres:// URL. */
  db: string;
  pgPoolSize: number;
  pgConnectTimeoutMs: number;
}

/**
 * Opens the store the `db` setting names, with its schema up to date. The PostgreSQL driver
 * is loaded only when a postgres:// URL asks for it. A PostgreSQL server out of reach fails
 * with `StoreUnavailable` (src/storage/unavailable.ts), and `outages` logs the outages it meets
 * afterwards; `writability` hears when a SQLite file stops and starts taking writes again.
 */
export async function openStore(settings: StoreSettings, outages?: OutageLog, writability?: Writability): Promise<Store> {
  if (!isPostgresUrl(settings.db)) return new SqliteStore(settings.db, writability);
  const { PostgresStore } = await import('./postgres/store.js');
  return PostgresStore.open(settings.db, { poolSize: settings.pgPoolSize, connectTimeoutMs: settings.pgConnectTimeoutMs, outages });
}
