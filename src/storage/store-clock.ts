import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Metrics } from '../observability/metrics.js';

export interface StoreClockOptions {
  /** A node clock further than this from the database's is warned about, counted and shown in readiness. */
  maxSkewMs: number;
  /** Added to this node's reading of the wall clock: how tests give one node a wrong clock. */
  offsetMs: number;
}

/** How often the database's clock is read again: a node clock stepped meanwhile is corrected within this. */
export const CLOCK_CHECK_MS = 10_000;
/** How often a skew that lasts is logged again. */
const WARN_EVERY_MS = 60_000;
/** Readings at start; the one with the shortest round trip is trusted most. */
const FIRST_READINGS = 3;

/** A `Clock` moved by `offsetMs`: the node clock a test sets wrong on purpose. */
export const shiftedClock = (clock: Clock, offsetMs: number): Clock =>
  offsetMs === 0 ? clock : { now: () => clock.now() + offsetMs, setTimer: (ms, fn) => clock.setTimer(ms, fn) };

/**
 * The cluster's one time. Where several nodes share a database, every rule they share (job run
 * times and lock staleness, send-limit windows, link and nonce expiry, retention cutoffs) must
 * read one clock, or a node whose clock is fast judges the others' locks stale, schedules work
 * for the future and deletes rows early. That clock is the database's: this node reads it every
 * CLOCK_CHECK_MS, keeps the difference to its own wall clock as a correction, and `correct`
 * adds the correction to any clock. The correction is measured against the wall clock, not the
 * clock it is added to, so a test clock that a test moves forward keeps its moves.
 *
 * Where the database is a file this process owns (SQLite), nobody else shares its rules and
 * the correction stays 0.
 */
export class StoreClock {
  private correctionMs = 0;
  private lastWarnAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** The database's time now, in epoch ms; absent where no other process shares the database. */
    private readonly readDatabaseTime: (() => Promise<number>) | undefined,
    private readonly options: StoreClockOptions,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** This node's own wall clock, as its operating system (and a test's offset) has it. */
  private nodeNow(): number {
    return Date.now() + this.options.offsetMs;
  }

  /** This node's clock minus the database's, as last measured. */
  get skewMs(): number {
    return 0 - this.correctionMs;
  }

  get skewed(): boolean {
    return Math.abs(this.skewMs) > this.options.maxSkewMs;
  }

  /** `clock` read on the database's time: the node's error taken out. */
  correct(clock: Clock): Clock {
    return { now: () => clock.now() + this.correctionMs, setTimer: (ms, fn) => clock.setTimer(ms, fn) };
  }

  /**
   * Measures the skew before anything reads the time, then again every CLOCK_CHECK_MS. A
   * database that cannot be read just now does not stop the node: it runs on its own clock,
   * said in the log, until a later reading succeeds.
   */
  async start(): Promise<void> {
    this.metrics.clockSkew.set({}, 0);
    if (!this.readDatabaseTime) return;
    this.timer = setInterval(() => void this.check(), CLOCK_CHECK_MS).unref();
    try {
      let best: { correctionMs: number; roundTripMs: number } | null = null;
      for (let i = 0; i < FIRST_READINGS; i++) {
        const reading = await this.read();
        if (!best || reading.roundTripMs < best.roundTripMs) best = reading;
      }
      this.adopt(best!.correctionMs);
    } catch (err) {
      this.log.warn({ err }, "could not read the database's clock at start: this node runs on its own until a reading succeeds");
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The database's time against the middle of the round trip that read it. */
  private async read(): Promise<{ correctionMs: number; roundTripMs: number }> {
    const sent = this.nodeNow();
    const database = await this.readDatabaseTime!();
    const received = this.nodeNow();
    return { correctionMs: database - (sent + received) / 2, roundTripMs: received - sent };
  }

  private async check(): Promise<void> {
    try {
      const reading = await this.read();
      // A reading that differs by less than its own uncertainty is noise: keeping the old
      // correction keeps the store clock from stepping back and forth by a millisecond.
      if (Math.abs(reading.correctionMs - this.correctionMs) > reading.roundTripMs / 2 + 1) this.adopt(reading.correctionMs);
    } catch (err) {
      // An outage is reported by the store's own callers; the last correction stays good meanwhile.
      this.log.debug({ err }, 'could not read the database clock');
    }
  }

  private adopt(correctionMs: number): void {
    const wasSkewed = this.skewed;
    this.correctionMs = Math.round(correctionMs);
    this.metrics.clockSkew.set({}, this.skewMs / 1000);
    const now = Date.now();
    if (this.skewed && (!wasSkewed || now - this.lastWarnAt >= WARN_EVERY_MS)) {
      this.lastWarnAt = now;
      this.log.warn(
        { skewMs: this.skewMs, maxSkewMs: this.options.maxSkewMs },
        "this node's clock differs from the database's beyond the setting: rdmc corrects for it, but fix the node's time synchronisation (NTP)",
      );
    } else if (wasSkewed && !this.skewed) {
      this.log.info({ skewMs: this.skewMs }, "this node's clock agrees with the database's again");
    }
  }
}
