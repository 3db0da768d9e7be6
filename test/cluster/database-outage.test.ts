import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { locks } from '../../src/storage/locks.js';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/storage/open.js';
import { StoreUnavailable } from '../../src/storage/unavailable.js';
import { POSTGRES_REQUIRED } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { canRunClusters, createPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { hostOf, send, v1Request, v3Request, type RawRequest } from '../helpers/raw.js';
import { ACCESS_KEYS_ENV, KEYS } from '../helpers/server.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

/**
 * PostgreSQL stopped (`-m fast`: sessions end with 57P01), crashed (`-m immediate`) and
 * restarted under nodes that are serving, on a cluster of the test's own: no node exits,
 * every call during the outage answers 503 ServiceUnavailable, readiness says unavailable
 * while liveness answers, and the first call after the database is back succeeds.
 */
describe('PostgreSQL outages', () => {
  let cluster: PgCluster | undefined;
  let skipped: string | undefined;

  before(async () => {
    if (!(await canRunClusters())) {
      skipped = 'PostgreSQL 15 (initdb, pg_ctl) is not installed: the outage tests SKIPPED';
      if (POSTGRES_REQUIRED) throw new Error(skipped);
      console.warn(`\n${'!'.repeat(100)}\n!!! ${skipped}\n${'!'.repeat(100)}\n`);
      return;
    }
    cluster = await createPgCluster();
  });
  after(() => cluster?.remove());

  const ready = (t: TestContext) => {
    if (skipped) t.skip(skipped);
    return cluster!;
  };

  test('a connection that dies between two statements of a transaction fails it as StoreUnavailable, and the process lives on', async (t) => {
    const pg = ready(t);
    const store = await openStore({ db: await pg.createDatabase(), pgPoolSize: 2, pgConnectTimeoutMs: 2_000 });
    try {
      // The transaction holds its connection across the stop: no statement is running when
      // the server ends the session, so only an `error` listener hears it.
      const failed = await store
        .transaction(locks.jobs, async (tx) => {
          await tx.jobs.nextRunAt();
          await pg.stop('fast');
          return tx.jobs.nextRunAt();
        })
        .then(
          () => null,
          (err: unknown) => err,
        );
      assert.ok(failed instanceof StoreUnavailable, `failed with ${String(failed)}`);
      assert.equal(failed.reason, 'unreachable');
      await assert.rejects(store.probe(), StoreUnavailable);
      await pg.start();
      // The pool kept no dead connection: the first statement after the restart succeeds.
      await store.probe();
    } finally {
      await store.close();
    }
  });

  test('serve and worker nodes ride out restarts (-m fast, -m immediate) under load, and stop cleanly during an outage', async (t) => {
    const pg = ready(t);
    const db = await pg.createDatabase();
    const env = { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, RDMC_FOLDER_QUOTA: '100000', RDMC_PG_CONNECT_TIMEOUT_MS: '2000' };
    const flags = ['--db', db, '--pg-pool-size', '4', '--async-mode', 'delay', '--log-level', 'info'];
    const nodes: ServerProcess[] = [];
    try {
      nodes.push(await spawnServer(flags, env));
      nodes.push(await spawnServer([...flags, '--no-worker'], env));
      nodes.push(await spawnServer(flags, env, 'worker'));
      const api = nodes.slice(0, 2);
      const contactId = (await send(api[0]!.url, v1Request({ action: 'AddMessageContact', method: 'POST', params: { Name: 'steady', EmailAddress: 's@example.com', Title: 'CEO', 'MessageTypes.1': 'FaultMessage' } }))).json!.Contact.ContactId;

      type Phase = 'up' | 'stopping' | 'down' | 'starting' | 'back';
      let phase = 'up' as Phase;
      let stop = false;
      let folders = 0;
      const answers: Array<{ node: number; phase: Phase; status: number; code: string }> = [];
      // Reads and writes on both API nodes, back to back, for the whole test.
      const load = (node: number, build: () => RawRequest) =>
        (async () => {
          while (!stop) {
            const sentIn = phase;
            const r = await send(api[node]!.url, build());
            answers.push({ node, phase: sentIn === phase ? sentIn : 'stopping', status: r.status, code: r.json?.Code ?? '' });
          }
        })();
      const loads = api.flatMap((n, i) => [
        load(i, () => v3Request(hostOf(n.url), { action: 'GetMessageContact', query: { ContactId: contactId } })),
        load(i, () => v1Request({ action: 'CreateFolder', method: 'POST', params: { FolderName: `f${++folders}` } })),
      ]);
      const probe = async (node: ServerProcess, path: string) => {
        const r = await fetch(`${node.url}/_rdmc/health/${path}`);
        return { status: r.status, body: (await r.json()) as Record<string, string> };
      };
      const answered = (p: Phase) => api.every((_, i) => answers.filter((a) => a.node === i && a.phase === p).length >= 10);

      for (const mode of ['fast', 'immediate'] as const) {
        await eventually('answers before the stop', () => answered('up'));
        phase = 'stopping';
        await pg.stop(mode);
        phase = 'down';
        await eventually(`answers during the outage (${mode})`, () => answered('down'));
        for (const node of nodes) {
          assert.deepEqual(await probe(node, 'ready'), { status: 503, body: { Status: 'unavailable', Reason: 'store-unreachable' } });
          assert.deepEqual(await probe(node, 'live'), { status: 200, body: { Status: 'live' } });
        }
        phase = 'starting';
        await pg.start();
        phase = 'back';
        await eventually(`answers after the restart (${mode})`, () => answered('back'));
        for (const node of nodes) assert.equal((await probe(node, 'ready')).status, 200);
        for (const [i] of api.entries()) {
          // The first call sent after the database was back succeeded: no dead connection was kept.
          assert.equal(answers.find((a) => a.node === i && a.phase === 'back')?.status, 200, `node ${i} after -m ${mode}`);
        }
        assert.deepEqual(
          [...new Set(answers.filter((a) => a.phase === 'down').map((a) => `${a.status} ${a.code}`))],
          ['503 ServiceUnavailable'],
          `every call during the outage (-m ${mode})`,
        );
        answers.forEach((a) => (a.phase = a.phase === 'back' ? 'up' : a.phase === 'up' ? 'up' : 'stopping'));
        phase = 'up';
      }
      stop = true;
      await Promise.all(loads);
      assert.deepEqual(answers.filter((a) => a.status >= 500 && a.status !== 503), [], 'no 500 at any moment');

      for (const node of nodes) {
        assert.equal(node.child.exitCode, null, `a node exited:\n${node.output()}`);
        const lines = logLines(node.output());
        // Per outage, one warning when it starts and one line when it ends; no error lines.
        const started = lines.filter((l) => l.level === 40 && /^database unreachable/.test(l.msg));
        const ended = lines.filter((l) => l.msg === 'database available again');
        assert.ok(started.length >= 2 && started.length <= 4, `outage warnings: ${started.length}`);
        assert.equal(ended.length, started.length);
        assert.ok(ended.every((l) => typeof l.outageMs === 'number'));
        assert.deepEqual(lines.filter((l) => l.level >= 50).map((l) => l.msg), []);
      }

      // Shutdown during an outage: SIGTERM still ends every node cleanly.
      await pg.stop('immediate');
      for (const node of nodes) {
        node.child.kill('SIGTERM');
        await new Promise((resolve) => node.child.once('exit', resolve));
        assert.equal(node.child.exitCode, 0, node.output());
      }
      await pg.start();
    } finally {
      for (const node of nodes) await node.kill('SIGKILL');
    }
  });

  test('a node started while PostgreSQL is down listens at once, answers 503 and not ready, and serves once it is up', async (t) => {
    const pg = ready(t);
    const db = await pg.createDatabase();
    await pg.stop('fast');
    const nodes = (['serve', 'worker'] as const).map((command) =>
      start(process.execPath, [CLI, command, '--host', '127.0.0.1', '--port', '0', '--db', db, '--log-level', 'info'], {
        env: cleanEnv({ RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, RDMC_DB_START_TIMEOUT_MS: '600000' }),
      }),
    );
    try {
      const urls = await Promise.all(
        nodes.map((n) =>
          eventually('the waiting line', () => logLines(n.stdout()).find((l) => l.msg === 'listening, not ready: waiting for the database')?.url as string | undefined),
        ),
      );
      const [serve] = urls as [string, string];
      for (const url of urls) {
        assert.equal((await fetch(`${url}/_rdmc/health/live`)).status, 200);
        const notReady = await fetch(`${url}/_rdmc/health/ready`);
        assert.deepEqual([notReady.status, await notReady.json()], [503, { Status: 'unavailable', Reason: 'store-unreachable' }]);
      }
      const early = await send(serve, v3Request(hostOf(serve), { action: 'ListMessageContacts' }));
      assert.deepEqual([early.status, early.json?.Code], [503, 'ServiceUnavailable']);

      await pg.start();
      for (const url of urls) await eventually('ready once the database is up', async () => (await fetch(`${url}/_rdmc/health/ready`)).status === 200);
      // Migrated and bootstrapped meanwhile: the API answers.
      const later = await send(serve, v3Request(hostOf(serve), { action: 'GetResourceDirectory' }));
      assert.equal(later.status, 200, later.text);
      for (const n of nodes) {
        assert.match(n.stdout(), /"msg":"(worker )?listening on http/);
        assert.equal(logLines(n.stdout()).filter((l) => l.msg === 'database available again').length, 1);
      }
    } finally {
      for (const n of nodes) n.child.kill('SIGTERM');
      await Promise.all(nodes.map((n) => n.exited));
    }
  });

  test('a node whose database stays out of reach exits after RDMC_DB_START_TIMEOUT_MS, saying why', async (t) => {
    const pg = ready(t);
    const db = await pg.createDatabase();
    await pg.stop('fast');
    try {
      const p = start(process.execPath, [CLI, 'serve', '--port', '0', '--db', db, '--log-level', 'silent'], {
        env: cleanEnv({ RDMC_DB_START_TIMEOUT_MS: '300' }),
      });
      assert.equal((await p.exited).code, 1);
      assert.match(p.stderr(), /rdmc: failed to start: the database stayed out of reach .*RDMC_DB_START_TIMEOUT_MS.*ECONNREFUSED/);
    } finally {
      await pg.start();
    }
  });

  test('a signed request answered before a crash of PostgreSQL is refused as a replay after it', async (t) => {
    const pg = ready(t);
    const server = await startServer({ host: '127.0.0.1', port: 0, db: await pg.createDatabase(), pgPoolSize: 2, accessKeys: Object.values(KEYS).map((k) => ({ ...k })), logLevel: 'silent' });
    try {
      const write = v1Request({ action: 'CreateFolder', method: 'POST', params: { FolderName: 'once' } });
      const read = v3Request(hostOf(server.url), { action: 'ListMessageContacts' });
      for (const r of [write, read]) assert.equal((await send(server.url, r)).status, 200);
      await pg.stop('immediate');
      await pg.start();
      for (const captured of [write, read]) {
        const again = await eventually('an answer after the crash', async () => {
          const r = await send(server.url, captured);
          return r.status === 503 ? null : r;
        });
        assert.deepEqual([again.status, again.json?.Code], [400, 'SignatureNonceUsed']);
      }
    } finally {
      await server.close();
    }
  });
});

/** The JSON lines of a node's log (pino), skipping the CLI's plain lines. */
function logLines(output: string): Array<Record<string, any>> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>);
}
