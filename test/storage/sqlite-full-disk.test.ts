import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { Worker } from '../../src/jobs/worker.js';
import { OUTAGE_FIRST_PAUSE_MS } from '../../src/jobs/outage.js';
import type { TaskTable } from '../../src/jobs/task.js';
import { Metrics } from '../../src/observability/metrics.js';
import { locks } from '../../src/storage/locks.js';
import { QUIET_MS, storeError } from '../../src/storage/sqlite/faults.js';
import { SqliteStore } from '../../src/storage/sqlite/store.js';
import { StoreUnavailable } from '../../src/storage/unavailable.js';
import { TestClock } from '../helpers/clock.js';
import { eventually } from '../helpers/eventually.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/small-disk.js';

/**
 * The SQLite store on a disk that fills up (a tmpfs the test mounts and fills): what its
 * callers are told, what its log hears, and what the job worker does, until space returns.
 */
test('a file SQLite may not write is unavailable (503), a broken rule is not', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'rdmc-readonly-'));
  try {
    const path = join(folder, 'ro.db');
    new Sqlite(path).exec('CREATE TABLE t (v UNIQUE); INSERT INTO t VALUES (1)').close();
    const readOnly = new Sqlite(path, { readonly: true });
    const refusal = (() => {
      try {
        readOnly.exec('INSERT INTO t VALUES (2)');
      } catch (err) {
        return err;
      }
    })();
    readOnly.close();
    assert.equal((refusal as { code?: string }).code, 'SQLITE_READONLY');
    assert.ok(storeError(refusal) instanceof StoreUnavailable);
    const writable = new Sqlite(path);
    const duplicate = (() => {
      try {
        writable.exec('INSERT INTO t VALUES (1)');
      } catch (err) {
        return err;
      }
    })();
    writable.close();
    assert.equal((duplicate as { code?: string }).code, 'SQLITE_CONSTRAINT_UNIQUE');
    assert.equal(storeError(duplicate), duplicate);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

const disk = mountSmallDisk(8);
const skip = typeof disk === 'string' ? disk : false;

describe('SQLite on a full disk', { skip }, () => {
  const { dir, fill, free, remove } = disk as SmallDisk;
  let store: SqliteStore;
  const reported: string[] = [];
  let enqueued = 0;

  // Deletions in form only: the worker test's own task runs them.
  const enqueue = () =>
    store.transaction(locks.jobs, (tx) =>
      tx.jobs.insert({ kind: 'contact.delete', payload: { directoryId: 'rd-test', contactId: `c-${++enqueued}`, afterAccountId: '' }, contactId: null, runAt: 0, held: false, createdAt: 0, lane: 'rd-test', outboxId: null }),
    );
  const jobs = () => store.read((tx) => tx.jobs.list(100));

  before(() => {
    store = new SqliteStore(join(dir, 'rdmc.db'), {
      lost: (err) => reported.push(`lost: ${(err as Error).message}`),
      regained: () => reported.push('regained'),
    });
  });
  after(async () => {
    await store.close();
    remove();
  });

  test('a write that cannot commit fails with StoreUnavailable and SQLite\'s own error, reported once; a job claim too', async () => {
    await enqueue();
    fill();
    for (let i = 0; i < 5; i++) {
      await assert.rejects(enqueue(), (err: unknown) => {
        assert.ok(err instanceof StoreUnavailable, String(err));
        assert.equal(err.reason, 'unwritable');
        // Not "cannot rollback - no transaction is active": the disk-full error itself.
        assert.equal((err.cause as { code?: string }).code, 'SQLITE_FULL');
        return true;
      });
    }
    // A claim is one UPDATE … RETURNING whose row is read with .get(): its failed commit used
    // to go unreported, and the job came back as claimed although nothing was written.
    await assert.rejects(store.writeOne((tx) => tx.jobs.claim('me', 1, 0)), StoreUnavailable);
    assert.deepEqual((await jobs()).map((j) => j.lockedBy), [null]);
    // Signed requests write their nonce first, in groups: every request of a group that cannot
    // commit fails with the same error, and none of their nonces is kept.
    const nonces = ['n1', 'n2', 'n3'].map((n) => store.rememberNonce('key', n, Number.MAX_SAFE_INTEGER, 1));
    for (const remembered of await Promise.allSettled(nonces)) {
      assert.ok(remembered.status === 'rejected' && remembered.reason instanceof StoreUnavailable, String(remembered.status));
    }
    // Readiness: the write probe cannot commit either.
    await assert.rejects(store.probe(), (err: unknown) => err instanceof StoreUnavailable && err.reason === 'unwritable');
    assert.deepEqual(reported, ['lost: database or disk is full']);
  });

  test('once space returns, writes commit without a restart, and the episode ends after a quiet while', async () => {
    free();
    await enqueue();
    assert.equal((await jobs()).length, 2);
    // The nonces refused while the disk was full were never written: the same requests are fresh now.
    assert.deepEqual(await Promise.all(['n1', 'n2', 'n3'].map((n) => store.rememberNonce('key', n, Number.MAX_SAFE_INTEGER, 1))), [true, true, true]);
    const claimed = await store.writeOne((tx) => tx.jobs.claim('me', 1, 0));
    assert.equal(claimed?.lockedBy, 'me');
    assert.equal((await jobs()).find((j) => j.id === claimed!.id)?.lockedBy, 'me');
    await store.transaction(locks.jobs, (tx) => tx.jobs.complete(claimed!.id));
    // Readiness follows the episode: ready once writes have committed for QUIET_MS without a failure.
    await eventually('readiness after the quiet while', () => store.probe().then(() => true, () => false), { tries: 1 + (3 * QUIET_MS) / 10 });
    assert.deepEqual(reported, ['lost: database or disk is full', 'regained']);
  });

  test('the worker pauses while claims cannot commit (backoff on its clock, one line each way), then runs the job', async () => {
    const clock = new TestClock();
    const lines: Array<{ level: string; msg: string }> = [];
    const log = pino({ level: 'info', hooks: { logMethod: (args, _method, level) => void lines.push({ level: pino.levels.labels[level]!, msg: String(args.at(-1)) }) } });
    let runs = 0;
    const task = { lock: () => locks.jobs, run: async () => (runs++, { done: true as const }) };
    const tasks = { 'message-center.sync': task, 'contact.delete': task, 'delivery.send': task } as unknown as TaskTable;
    // Every claim, counted: a worker that took a failed claim for a made one claimed again at once, thousands of times a second.
    let claims = 0;
    const counted = Object.create(store, { writeOne: { value: (fn: Parameters<SqliteStore['writeOne']>[0]) => (claims++, store.writeOne(fn)) } }) as SqliteStore;
    const worker = new Worker(counted, clock, tasks, log, new Metrics(), {
      owner: 'w', staleLockMs: 60_000, pollMs: 1_000, maxAttempts: 10, retryBaseMs: 1_000, retryMaxMs: 300_000, bookkeepingLock: locks.jobs,
    });
    await enqueue();
    const waiting = (await jobs()).length;
    fill();
    worker.start();
    let paused = false;
    void worker.settled().then(() => (paused = true));
    await eventually('the worker to pause, or to spin', () => paused || claims > 100);
    assert.equal(paused, true, `the worker claimed ${claims} times while the disk was full`);
    assert.equal(claims, 1);
    const warned = () => lines.filter((l) => l.msg.startsWith('job worker paused'));
    assert.deepEqual(warned().map((l) => l.level), ['warn']);
    // Wakes (requests enqueueing) do not cut the pause short; the clock does, doubling it each time.
    worker.wake();
    await worker.settled();
    assert.equal(claims, 1);
    clock.advance(OUTAGE_FIRST_PAUSE_MS - 1);
    await worker.settled();
    assert.equal(claims, 1);
    clock.advance(1);
    await worker.settled();
    assert.equal(claims, 2);
    clock.advance(2 * OUTAGE_FIRST_PAUSE_MS - 1);
    await worker.settled();
    assert.equal(claims, 2);
    clock.advance(1);
    await worker.settled();
    assert.equal(claims, 3);
    assert.equal(warned().length, 1);
    assert.equal(runs, 0);

    free();
    clock.advance(4 * OUTAGE_FIRST_PAUSE_MS);
    await worker.settled();
    assert.equal(runs, waiting);
    assert.deepEqual(await jobs(), []);
    assert.deepEqual(lines.filter((l) => l.msg.startsWith('job worker resumed')).map((l) => l.level), ['info']);
    assert.deepEqual(lines.filter((l) => l.level === 'error'), []);
    await worker.stop();
  });
});
