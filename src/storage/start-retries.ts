import { setTimeout as sleep } from 'node:timers/promises';
import type { OutageLog } from './outage.js';
import { StoreUnavailable } from './unavailable.js';

/** The first retry of a database out of reach at start-up; each later one waits twice as long, up to the cap. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 1_000;

/** How long start-up may wait for the database (the `dbStartTimeoutMs` setting), and where waiting is logged. */
export interface StartPatience {
  /** Wall-clock time after which a database still out of reach stops the start. */
  deadline: number;
  outages: OutageLog;
  /** Awaited before each wait (it acts once): the node listens meanwhile, answering 503. */
  whileWaiting: () => Promise<void>;
}

/**
 * Runs `attempt` until it does not fail for want of the database (`StoreUnavailable`,
 * unreachable: PostgreSQL down, starting up, refusing connections), backing off between
 * tries, until the deadline. Any other failure (a wrong password, a SQLite file another
 * process holds) stops the start at once, as does the deadline, with a message that says so.
 */
export async function untilReachable<T>(attempt: () => Promise<T>, patience: StartPatience): Promise<T> {
  let delayMs = FIRST_RETRY_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof StoreUnavailable) || err.reason !== 'unreachable') throw err;
      patience.outages.failed(err);
      const left = patience.deadline - Date.now();
      if (left <= 0) {
        throw new Error(`the database stayed out of reach for the whole start-up wait (RDMC_DB_START_TIMEOUT_MS): ${err.message}`, { cause: err });
      }
      await patience.whileWaiting();
      await sleep(Math.min(delayMs, left));
      delayMs = Math.min(delayMs * 2, MAX_RETRY_MS);
    }
  }
}
