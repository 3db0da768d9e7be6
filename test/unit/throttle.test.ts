import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallerThrottle, MAX_BUCKETS } from '../../src/protocol/throttle.js';

/** The throttle's token buckets on a clock the test moves (the e2e tests drive it through the server). */
const at = { now: 0 };
const throttle = (ratePerSecond: number, burst: number) => new CallerThrottle({ ratePerSecond, burst }, () => at.now);
const admitted = (t: CallerThrottle, caller: string, times: number) => {
  let n = 0;
  for (let i = 0; i < times; i++) {
    try {
      t.admit(caller);
      n++;
    } catch (err: any) {
      assert.equal(err.code, 'Throttling.User');
    }
  }
  return n;
};

test('a bucket holds the burst and refills at the rate, never above the burst; time going back refills nothing', () => {
  at.now = 1_000_000;
  const t = throttle(10, 3);
  assert.equal(admitted(t, 'a', 10), 3);
  at.now += 250;
  assert.equal(admitted(t, 'a', 10), 2, 'a quarter second at 10 a second');
  at.now += 3_600_000;
  assert.equal(admitted(t, 'a', 10), 3, 'an hour idle refills to the burst only');
  at.now -= 60_000;
  assert.equal(admitted(t, 'a', 10), 0);
});

test(`the map holds at most ${MAX_BUCKETS.toLocaleString('en')} callers, dropping the one idle longest`, () => {
  at.now = 0;
  const t = throttle(1, 2);
  t.admit('first');
  t.admit('first');
  for (let i = 0; i < MAX_BUCKETS + 500; i++) t.admit(`caller-${i}`);
  assert.equal(t.size, MAX_BUCKETS);
  // "first", idle longest, was dropped: it comes back with a full bucket.
  assert.equal(admitted(t, 'first', 5), 2);
});
