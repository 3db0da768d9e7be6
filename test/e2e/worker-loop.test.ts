import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { SETTINGS } from '../../src/config/settings.js';
import { performance } from 'node:perf_hooks';
import { AuditScope, claimPendingAudit, withinAudit } from '../../src/audit/scope.js';
import { Worker } from '../../src/jobs/worker.js';
import { currentBudget, withinBudget, type RequestBudget } from '../../src/storage/request-budget.js';
import type { JobPayload } from '../../src/jobs/kinds.js';
import type { DatabaseTask, TaskTable } from '../../src/jobs/task.js';
import { Metrics } from '../../src/observability/metrics.js';
import { locks } from '../../src/storage/locks.js';
import type { Store } from '../../src/storage/store.js';
import { TestClock } from '../helpers/clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * The job worker's loop on a real store, driven by the injected clock: retries after backoff
 * and polls for jobs nobody announced happen when the clock gets there, with no real wait.
 */
let database: TestDatabase;
let store: Store;
before(async () => {
  database = await createTestDatabase();
  store = await database.open();
});
after(async () => {
  await store.close();
  await database.drop();
});

const RETRY_MS = 5_000;
const POLL_MS = 1_000;

// The jobs here are deletions in form only: the test's own task runs them.
const KIND = 'contact.delete';
const PAYLOAD = { directoryId: 'rd-test', contactId: 'c-test', afterAccountId: '' };

function worker(clock: TestClock, task: DatabaseTask<JobPayload<typeof KIND>>, staleLockMs = 60_000) {
  const tasks = { 'message-center.sync': task, 'contact.delete': task, 'delivery.send': task } as unknown as TaskTable;
  return new Worker(store, clock, tasks, pino({ level: 'silent' }), new Metrics(), {
    owner: 'test-worker',
    staleLockMs,
    pollMs: POLL_MS,
    maxAttempts: 10,
    retryBaseMs: RETRY_MS,
    retryMaxMs: 300_000,
    bookkeepingLock: locks.jobs,
  });
}

const enqueue = (clock: TestClock, runAt = clock.now(), contactId = 'c-test') =>
  store.transaction(locks.jobs, (tx) =>
    tx.jobs.insert({ kind: KIND, payload: { ...PAYLOAD, contactId }, contactId: null, runAt, held: false, createdAt: clock.now(), lane: 'rd-test', outboxId: null }),
  );
const pending = () => store.read(async (tx) => (await tx.jobs.list(100)).filter((j) => j.kind === KIND));

test('after a drain (immediate mode), a retry due later runs once the clock reaches it, on an idle worker', async () => {
  const clock = new TestClock();
  let attempts = 0;
  const w = worker(clock, {
    lock: () => locks.jobs,
    async run() {
      if (++attempts === 1) throw new Error('first attempt fails');
      return { done: true };
    },
  });
  w.start();
  await enqueue(clock);
  await w.drain();
  await w.settled();
  assert.equal(attempts, 1);
  assert.deepEqual((await pending()).map((j) => [j.state, j.attempts]), [['pending', 1]]);
  // Not yet due: the poll finds nothing to do.
  clock.advance(RETRY_MS - 1);
  await w.settled();
  assert.equal(attempts, 1);
  clock.advance(1);
  await w.settled();
  assert.equal(attempts, 2);
  assert.deepEqual(await pending(), []);
  await w.stop();
});

test('a job enqueued elsewhere (no wake) is found by the next poll, and polling goes on after every pass', async () => {
  const clock = new TestClock();
  let runs = 0;
  const w = worker(clock, {
    lock: () => locks.jobs,
    async run() {
      runs++;
      return { done: true };
    },
  });
  w.start();
  await w.settled();
  for (let round = 1; round <= 3; round++) {
    await enqueue(clock);
    await w.drain(); // as a request in immediate mode would
    await enqueue(clock); // committed by another node: nobody wakes this worker
    await w.settled();
    assert.equal(runs, 2 * round - 1);
    clock.advance(POLL_MS);
    await w.settled();
    assert.equal(runs, 2 * round);
  }
  await w.stop();
});

test('a wake during a pass is not lost: the loop runs one more pass for it', async () => {
  const clock = new TestClock();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen: string[] = [];
  const w = worker(clock, {
    lock: () => locks.jobs,
    async run(_tx, payload) {
      seen.push(payload.contactId);
      if (seen.length === 1) await gate;
      return { done: true };
    },
  });
  w.start();
  await w.settled();
  await enqueue(clock, clock.now(), 'c-first');
  w.wake();
  // The job after it is due only once the clock moves, and the wake comes while the first runs.
  await enqueue(clock, clock.now() + 10, 'c-second');
  clock.advance(10);
  w.wake();
  release();
  await w.settled();
  assert.deepEqual(seen, ['c-first', 'c-second']);
  await w.stop();
});

test('a dead worker\'s job is taken over within the default stale-lock time and a poll (seconds), not before', async () => {
  const staleLockMs: number = SETTINGS.jobStaleLockMs.schema.parse(undefined);
  const clock = new TestClock();
  const id = await enqueue(clock, clock.now(), 'c-orphan');
  // A worker on another node claimed it, then died: its lock is never renewed.
  const claimed = await store.writeOne((tx) => tx.jobs.claim('dead-worker', clock.now(), clock.now() - staleLockMs));
  assert.equal(claimed?.id, id);
  const ran: string[] = [];
  const w = worker(clock, { lock: () => locks.jobs, run: async (_tx, payload) => (ran.push(payload.contactId), { done: true }) }, staleLockMs);
  w.start();
  await w.settled();
  clock.advance(staleLockMs - POLL_MS);
  await w.settled();
  assert.deepEqual(ran, [], 'a lock renewed less than the stale-lock time ago may be a live worker\'s');
  clock.advance(POLL_MS + 1);
  await w.settled();
  clock.advance(POLL_MS);
  await w.settled();
  assert.deepEqual(ran, ['c-orphan']);
  assert.ok(staleLockMs + POLL_MS <= 15_000, `taken over ${staleLockMs + POLL_MS} ms after the last beat`);
  await w.stop();
});

test('a worker woken inside a request runs its jobs outside that request: no budget, no audit scope follows them', async () => {
  const clock = new TestClock();
  const seen: Array<[RequestBudget | undefined, boolean]> = [];
  const w = worker(clock, {
    lock: () => locks.jobs,
    async run() {
      seen.push([currentBudget(), claimPendingAudit() !== null]);
      return { done: true };
    },
  });
  w.start();
  await w.settled();
  await enqueue(clock);
  // As the pipeline runs an action: under its budget and its audit scope, the worker woken from inside.
  const budget = { endsAt: performance.now() + 60_000, signal: new AbortController().signal };
  const scope = new AuditScope({
    at: clock.now(), requestId: 'r-1', identityType: 'access-key', actor: 'key', accessKeyId: 'key', accountId: null,
    peer: '127.0.0.1', action: 'DeleteMessageContact', targets: [], status: 200, code: '',
  });
  await withinBudget(budget, () => withinAudit(scope, async () => w.wake()));
  await w.settled();
  assert.deepEqual(seen, [[undefined, false]]);
  await w.stop();
});
