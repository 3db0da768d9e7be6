import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { Metrics } from '../../src/observability/metrics.js';
import { StoreClock } from '../../src/storage/store-clock.js';
import { TestClock } from '../helpers/clock.js';

const options = { maxSkewMs: 30_000, offsetMs: 0 };

test('the correction is the database clock against the wall clock, and a test clock keeps its own moves', async () => {
  const storeClock = new StoreClock(async () => Date.now() - 120_000, options, pino({ level: 'silent' }), new Metrics());
  await storeClock.start();
  try {
    assert.ok(Math.abs(storeClock.skewMs - 120_000) < 1_000, `skew ${storeClock.skewMs}`);
    assert.equal(storeClock.skewed, true);
    const manual = new TestClock();
    const corrected = storeClock.correct(manual);
    const before = corrected.now();
    manual.advance(3_600_000);
    assert.equal(corrected.now() - before, 3_600_000);
    assert.ok(Math.abs(corrected.now() - (manual.now() - 120_000)) < 1_000);
  } finally {
    storeClock.stop();
  }
});

test('a database that cannot be read at start does not stop the node: it runs on its own clock meanwhile', async () => {
  const storeClock = new StoreClock(async () => Promise.reject(new Error('connect ECONNREFUSED')), options, pino({ level: 'silent' }), new Metrics());
  await storeClock.start();
  try {
    assert.equal(storeClock.skewMs, 0);
    assert.equal(storeClock.skewed, false);
  } finally {
    storeClock.stop();
  }
});
