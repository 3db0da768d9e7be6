import type pg from 'pg';

/** The channel the `jobs_wake` trigger (migration 1) notifies on every commit that frees a job. */
const CHANNEL = 'rdmc_jobs';
const REOPEN_AFTER_MS = 1_000;

/**
 * Listens on a dedicated connection and calls `onWake` for every notification. A lost
 * connection is reopened a second later; meanwhile the workers' polling still finds every
 * job, only later. Resolves once listening, to a function that stops for good.
 */
export async function listenForJobs(
  connect: () => pg.Client,
  onWake: () => void,
  onError: (err: Error) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let reopening: NodeJS.Timeout | null = null;

  const reopenLater = (err: Error) => {
    onError(err);
    client = null;
    if (stopped || reopening) return;
    reopening = setTimeout(() => {
      reopening = null;
      open().catch(reopenLater);
    }, REOPEN_AFTER_MS);
  };

  async function open() {
    const c = connect();
    c.on('notification', onWake);
    c.on('error', (err) => {
      c.end().catch(() => undefined);
      reopenLater(err);
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    // Whatever was committed while nobody listened may be due now.
    onWake();
  }

  await open();
  return async () => {
    stopped = true;
    if (reopening) clearTimeout(reopening);
    await client?.end();
  };
}
