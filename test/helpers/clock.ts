import type { Clock } from '../../src/domain/clock.js';

/**
 * A domain clock only the test moves: it starts at the wall clock's time and stands still
 * until `advance`, which fires the timers it passes, in time order. Retries, polls and expiry
 * happen exactly when the test says, never after a real wait.
 */
export class TestClock implements Clock {
  private current = Date.now();
  private timers: Array<{ at: number; fn: () => void }> = [];

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): () => void {
    const timer = { at: this.now() + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by `ms` and fires every timer now due. */
  advance(ms: number): void {
    this.current += ms;
    const now = this.now();
    const due = this.timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > now);
    for (const t of due) t.fn();
  }
}
