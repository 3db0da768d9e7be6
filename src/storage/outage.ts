import type { Logger } from 'pino';
import type { StoreUnavailable } from './unavailable.js';

/**
 * The log of database outages: one warning when the first failure is seen (with its cause),
 * one info line when the database answers again (with how long it was away), and nothing in
 * between, however many requests, polls and reconnections fail meanwhile.
 */
export class OutageLog {
  private since: number | null = null;

  constructor(private readonly log: Logger) {}

  failed(err: StoreUnavailable): void {
    if (this.since !== null) return;
    this.since = Date.now();
    this.log.warn({ err: err.cause, reason: err.reason }, `database ${err.reason}: answering 503 ServiceUnavailable until it is back`);
  }

  /** The database answered a statement: whatever outage was under way is over. */
  answered(): void {
    if (this.since === null) return;
    const outageMs = Date.now() - this.since;
    this.since = null;
    this.log.info({ outageMs }, 'database available again');
  }
}
