import type { Logger } from 'pino';
import { StoreUnavailable } from '../storage/unavailable.js';

/** The first pause after a pass fails for an unavailable store; each later one twice as long, up to the most. */
export const OUTAGE_FIRST_PAUSE_MS = 250;
export const OUTAGE_MOST_PAUSE_MS = 10_000;

/**
 * The worker's view of a store that cannot serve it (a full disk, a read-only file, a database
 * that is down): passes pause with exponential backoff instead of failing as fast as they can
 * be retried, and the log gets one line when the outage starts and one when it ends.
 */
export class WorkerOutage {
  private failedPasses = 0;

  constructor(private readonly log: Logger) {}

  /** How long the worker waits before its next pass; null when the store is serving. */
  get pauseMs(): number | null {
    if (this.failedPasses === 0) return null;
    return Math.min(OUTAGE_FIRST_PAUSE_MS * 2 ** (this.failedPasses - 1), OUTAGE_MOST_PAUSE_MS);
  }

  /** A pass failed: true when it was the store's outage (now counted), false for any other failure. */
  failed(err: unknown): boolean {
    if (!(err instanceof StoreUnavailable)) return false;
    if (this.failedPasses === 0) this.log.warn({ err }, `job worker paused: the database is ${err.reason}; retrying with backoff`);
    this.failedPasses++;
    return true;
  }

  /** A pass got through. */
  passed(): void {
    if (this.failedPasses === 0) return;
    this.log.info({ failedPasses: this.failedPasses }, 'job worker resumed: the database serves it again');
    this.failedPasses = 0;
  }
}
