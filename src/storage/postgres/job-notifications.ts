import type pg from 'pg';

/** The channel the `jobs_wake` trigger (migration 1) notifies on every commit that frees a job. */
const CHANNEL = 'rdmc_jobs';
/** A lost connection is reopened after this long, then twice as long after each failed attempt, up to the cap. */
const REOPEN_FIRST_MS = 250;
const REOPEN_MAX_MS = 2_000;

export interface ListenerEvents {
  /** The connection failed, or could not be opened (once per failure; the outage log keeps it to one line). */
  lost: (err: Error) => void;
  /** Listening (again). */
  listening: () => void;
}

/**
 * Listens on a dedicated connection and calls `onWake` for every notification. A lost
 * connection is reopened with backoff; meanwhile the workers' polling still finds every job,
 * only later. Resolves after the first attempt, listening or not (a database out of reach is
 * retried in the background), to a function that stops for good.
 */
export async function listenForJobs(connect: () => pg.Client, onWake: () => void, events: ListenerEvents): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let reopening: NodeJS.Timeout | null = null;
  let delayMs = REOPEN_FIRST_MS;

  const reopenLater = (err: Error) => {
    events.lost(err);
    client = null;
    if (stopped || reopening) return;
    reopening = setTimeout(() => {
      reopening = null;
      open().catch(reopenLater);
    }, delayMs);
    delayMs = Math.min(delayMs * 2, REOPEN_MAX_MS);
  };

  async function open() {
    const c = connect();
    c.on('notification', onWake);
    // Every client gets its listener before it connects: an `error` event nobody hears ends the process.
    c.on('error', (err) => {
      c.end().catch(() => undefined);
      if (client === c) reopenLater(err);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    if (stopped) return void (await c.end());
    client = c;
    delayMs = REOPEN_FIRST_MS;
    events.listening();
    // Whatever was committed while nobody listened may be due now.
    onWake();
  }

  await open().catch(reopenLater);
  return async () => {
    stopped = true;
    if (reopening) clearTimeout(reopening);
    await client?.end().catch(() => undefined);
  };
}
