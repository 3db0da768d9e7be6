import pg from 'pg';
import { migrations } from '../migrations/index.js';
import { LEGACY_SENTINEL, LEGACY_TABLE, translateLegacy } from '../migrations/legacy.js';
import type { AppliedMigration } from '../migrations/migration.js';
import { pendingMigrations } from '../migrations/plan.js';
import { VERSIONS_TABLE } from '../schema-version.js';
import { beginWithin, connectWithin, spentOr, watchBudget } from './budget.js';
import { isConnectionError } from './unavailable.js';
import { claimPendingAudit, type PendingAudit } from '../../audit/scope.js';
import { inlineAuditInsert } from './audit-inline.js';

const INT8 = 20;

/**
 * BIGINT columns and count(*) come back as numbers: every one rdmc stores is an epoch
 * millisecond, an identity or a count, all far below 2^53. Set per pool, not globally.
 */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  /** Connections this process may hold; each node behind a load balancer has its own pool. */
  size: number;
  /** How long a caller waits for a connection (a free one, or a new one to open) before it fails. */
  connectTimeoutMs: number;
  /** A broken idle connection: the pool drops it and opens a new one when needed. */
  onError: (err: Error) => void;
}

/**
 * Index reads priced as on solid-state storage (PostgreSQL's default prices spinning disks).
 * A directory seeded or fanned out a moment ago has statistics that still say "a few rows";
 * priced for disks, a batch read then takes a bitmap scan of the whole directory and a sort
 * instead of the ordered index range it needs, every batch (operations.md, PostgreSQL).
 */
const SESSION = '-c random_page_cost=1.1';

/** Opens a pool on `url` and brings the schema up to date before anything else uses it. */
export async function openPool(url: string, options: PoolOptions): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.size, connectionTimeoutMillis: options.connectTimeoutMs, types, options: SESSION });
  pool.on('error', options.onError);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

/** A client of its own for LISTEN, which a pooled connection handed back and forth cannot keep. */
export function dedicatedClient(url: string, connectTimeoutMs: number): pg.Client {
  return new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, types });
}

/**
 * Applies the missing migrations (src/storage/migrations/) in one transaction under an
 * advisory lock, after translating the record of a database made before the one list. Nodes
 * that start at the same moment queue on the lock; each then re-reads the applied versions, so
 * the first one migrates and the others find nothing left to do. DDL is transactional in
 * PostgreSQL: a migration that fails leaves no trace. A database this build must not touch
 * stops the start (`SchemaMismatch`). The lock's key is the one releases before the one list
 * took, so an old node and a new one starting together take turns too.
 */
async function migrate(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, 'BEGIN', async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('rdmc.schema_migrations', 0))");
    const { rows: [tables] } = await client.query<{ versions: string | null; legacy: string | null }>(
      `SELECT to_regclass('${VERSIONS_TABLE}') AS versions, to_regclass('${LEGACY_TABLE}') AS legacy`,
    );
    const translating = tables!.versions === null && tables!.legacy !== null;
    await client.query(`CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const record = (m: AppliedMigration, appliedAt: number) =>
      client.query(`INSERT INTO ${VERSIONS_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, appliedAt]);
    if (translating) {
      const legacy = await client.query<{ version: number; appliedAt: number }>(`SELECT version, applied_at AS "appliedAt" FROM ${LEGACY_TABLE}`);
      for (const m of translateLegacy('postgres', legacy.rows, migrations)) await record(m, m.appliedAt);
      await client.query(`INSERT INTO ${LEGACY_TABLE} (version, applied_at) VALUES ($1, $2)`, [LEGACY_SENTINEL, Date.now()]);
    }
    const applied = (await client.query<AppliedMigration>(`SELECT version, name FROM ${VERSIONS_TABLE}`)).rows;
    for (const m of pendingMigrations(applied, migrations, translating)) {
      if (m.postgres !== '') await client.query(m.postgres);
      await record(m, Date.now());
    }
  });
}

/**
 * Runs `fn` on one pooled connection between `begin` and COMMIT, rolling back when it
 * throws. A connection that cannot even roll back is broken: it is destroyed, not reused.
 * Inside an API request, the request's budget bounds it (budget.ts).
 *
 * The pool listens for a connection's errors only while it is idle: one that dies while checked
 * out here, between two statements (the server stopping, say), would emit an `error` event
 * nobody hears, which ends the process. It is heard here instead, and it is what the
 * transaction fails with (the next statement would only say the client is not queryable).
 *
 * `audited`: the transaction carries the audit record of the write it runs for, if none has
 * yet (src/audit/scope.ts), sent with the COMMIT as one simple query: no round trip of its own.
 */
export async function inTransaction<T>(pool: pg.Pool, begin: string, fn: (client: pg.PoolClient) => Promise<T>, { audited = false } = {}): Promise<T> {
  const client = await connectWithin(pool);
  let audit: PendingAudit | null = null;
  const watch = watchBudget(client);
  let lost: Error | null = null;
  const onError = (err: Error) => (lost ??= err);
  client.on('error', onError);
  let broken = false;
  try {
    await client.query(beginWithin(begin));
    const result = await fn(client);
    audit = audited ? claimPendingAudit() : null;
    if (!audit) await client.query('COMMIT');
    else {
      // A text of several statements answers with one result each: the insert's comes first.
      const [inserted] = (await client.query(`${inlineAuditInsert(audit.entry)}; COMMIT`)) as unknown as Array<pg.QueryResult<{ seq: number }>>;
      audit.committed(inserted!.rows[0]!.seq);
    }
    return result;
  } catch (err) {
    audit?.failed();
    await client.query('ROLLBACK').catch(() => (broken = true));
    throw lost !== null && isConnectionError(err) ? lost : spentOr(err);
  } finally {
    watch.stop();
    client.off('error', onError);
    client.release(broken || watch.cancelled || lost !== null);
  }
}
