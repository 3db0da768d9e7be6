import { systemClock, type Clock } from './clock.js';

interface Timer {
  at: number;
  fn: () => void;
  /** Cancels the base clock's timer. */
  cancel: () => void;
}

/**
 * A clock that can be moved forward: `base` plus every `advance` so far. Its timers fire on
 * the base clock's time as usual, and at once when an `advance` passes their moment, in time
 * order, so a job retry, a poll or a delay due meanwhile runs as though the time had passed.
 * The node's domain clock is one (`POST /_rdmc/time/advance`, docs/operations.md, Time).
 */
export class AdvancingClock implements Clock {
  private advanced = 0;
  /** Timers not fired nor cancelled yet: one per pending wait of the node, so few. */
  private readonly timers = new Set<Timer>();

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.advanced;
  }

  /** How far `advance` has moved this clock in all. */
  get advancedMs(): number {
    return this.advanced;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.now() + ms, fn, cancel: () => {} };
    timer.cancel = this.base.setTimer(ms, () => {
      if (this.timers.delete(timer)) fn();
    });
    this.timers.add(timer);
    return () => {
      this.timers.delete(timer);
      timer.cancel();
    };
  }

  /** Moves time forward by `ms` (0 or more) and fires every timer now due, earliest first. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`a clock moves forward only: ${ms}`);
    this.advanced += ms;
    const now = this.now();
    const due = [...this.timers].filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
    for (const t of due) {
      this.timers.delete(t);
      t.cancel();
    }
    for (const t of due) t.fn();
  }
}

/** A base clock that stands still and never fires a timer by itself. */
const standingClock = (at: number): Clock => ({ now: () => at, setTimer: () => () => {} });

/**
 * A clock only its owner moves: it starts at `startMs` (the wall clock's time by default)
 * and stands still until `advance`, which fires the timers it passes. Handed to
 * `startServer({ … }, { clock })`, retries, polls and expiry happen exactly when a test says.
 */
export class ManualClock extends AdvancingClock {
  constructor(startMs: number = Date.now()) {
    super(standingClock(startMs));
  }
}
