import assert from 'node:assert/strict';
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { callAction, RpcError, type ParamValue } from '../../src/client/rpc.js';
import { DEFAULT_ACCESS_KEY } from '../../src/config/settings.js';
import type { Clock } from '../../src/domain/clock.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { LEGACY_SENTINEL } from '../../src/storage/migrations/legacy.js';
import { startServer } from '../../src/server.js';
import { adminClient } from '../helpers/admin.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type Backend, type TestDatabase } from '../helpers/database.js';
import { PROJECT_ROOT } from '../helpers/spawn.js';

/**
 * Databases that earlier releases wrote through their own API (scripts/make-old-release-fixture.mjs
 * made them: a SQLite file and a PostgreSQL dump per release, and the answers the release gave
 * to a set of reads) upgrade in place: every read answers as the old release did, the job the
 * old release left queued runs, writes go on, and the migrations' record is the one list's.
 */

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/old-releases');

interface Recorded {
  answers: Array<{ action: string; params: Record<string, ParamValue>; answer: Record<string, unknown> }>;
  ids: { contacts: string[] };
  /** The release's clock when it stopped: the upgraded node's clock starts there, so retention finds nothing old. */
  now: number;
}

/** A clock that starts at `from` and runs with the wall clock, so jobs and timers behave as in a live server. */
function clockFrom(from: number): Clock {
  const started = Date.now();
  return {
    now: () => from + (Date.now() - started),
    setTimer(ms, fn) {
      const timer = setTimeout(fn, ms).unref();
      return () => clearTimeout(timer);
    },
  };
}

/** Lays the release's database down as the release left it. */
async function restore(database: TestDatabase, folder: string): Promise<void> {
  if (database.backend === 'sqlite') return copyFile(join(folder, 'sqlite.db'), database.db);
  // psql's own commands (`\restrict`) are not SQL; the rest runs as one script.
  const dump = (await readFile(join(folder, 'postgres.sql'), 'utf8'))
    .split('\n')
    .filter((line) => !line.startsWith('\\'))
    .join('\n');
  const client = new pg.Client({ connectionString: database.db });
  await client.connect();
  try {
    await client.query(dump);
  } finally {
    await client.end();
  }
}

/** The migrations' record, old and new, read straight from the database. */
async function schemaRecord(database: TestDatabase): Promise<{ versions: Array<{ version: number; name: string }>; legacy: number[] }> {
  const versions = 'SELECT version, name FROM schema_versions ORDER BY version';
  const legacy = 'SELECT version FROM schema_migrations ORDER BY version';
  if (database.backend === 'sqlite') {
    const db = new Sqlite(database.db, { readonly: true });
    try {
      return { versions: db.prepare(versions).all() as Array<{ version: number; name: string }>, legacy: db.prepare(legacy).pluck().all() as number[] };
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.db });
  await client.connect();
  try {
    return { versions: (await client.query(versions)).rows, legacy: (await client.query(legacy)).rows.map((r) => r.version) };
  } finally {
    await client.end();
  }
}

const releases = (await readdir(FIXTURES)).sort();

test('the fixtures of old releases are there', () => {
  assert.ok(releases.length >= 2, `expected the fixtures of at least two releases in ${FIXTURES}`);
});

for (const release of releases) {
  for (const backend of ['sqlite', 'postgres'] as Backend[]) {
    test(`${backend}: a database written by release ${release} upgrades in place and answers as it did`, async (t) => {
      if (backend === 'postgres' && !(await postgresReachable())) return t.skip(warnPostgresMissing('the upgrade test'));
      const folder = join(FIXTURES, release);
      const recorded = (JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as Record<Backend, Recorded>)[backend];
      const database = await createTestDatabase(backend);
      try {
        await restore(database, folder);
        const server = await startServer(
          { host: '127.0.0.1', port: 0, db: database.db, asyncMode: 'manual', logLevel: 'silent' },
          { clock: clockFrom(recorded.now) },
        );
        try {
          const call = async (action: string, params: Record<string, ParamValue> = {}): Promise<Record<string, any>> => {
            const body = await callAction({ endpoint: server.url, ...DEFAULT_ACCESS_KEY }, action, { Version: '2022-04-19', ...params }).catch((err: unknown) => {
              if (!(err instanceof RpcError)) throw err;
              return { error: { code: err.code, message: err.message } } as Record<string, any>;
            });
            delete body.RequestId;
            return body;
          };
          for (const { action, params, answer } of recorded.answers) {
            assert.deepEqual(await call(action, params), answer, `${action} ${JSON.stringify(params)}`);
          }

          // Cy's deletion was queued, held, when the release stopped: it runs to its end now.
          const cy = recorded.ids.contacts[2]!;
          assert.equal((await call('GetMessageContact', { ContactId: cy })).Contact.Status, 'Deleting');
          const admin = adminClient(server.url);
          await admin.put('/async', { Mode: 'immediate' });
          await admin.post('/jobs/run');
          assert.equal((await call('GetMessageContact', { ContactId: cy })).error?.code, 'EntityNotExists.Contact');

          const added = await call('AddMessageContact', { Name: 'After', EmailAddress: 'after@example.com', Title: 'CEO', MessageTypes: ['AccountExpenses'] });
          assert.match(String(added.Contact?.ContactId), /^c-/);
        } finally {
          await server.close();
        }
        const record = await schemaRecord(database);
        assert.deepEqual(record.versions, migrations.map((m) => ({ version: m.version, name: m.name })));
        assert.ok(record.legacy.includes(LEGACY_SENTINEL), 'the old record is marked, so a node of the old release is not ready on it');
      } finally {
        await database.drop();
      }
    });
  }
}
