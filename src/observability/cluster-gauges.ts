import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import { JOB_PAYLOADS } from '../jobs/kinds.js';
import type { Channel } from '../storage/records.js';
import type { DeliveryCensus, JobCensus, Store } from '../storage/store.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import { gaugeFamily } from './metrics.js';

/**
 * Where a count of rows stops: each series is a walk of an index range that ends here, so a
 * scrape of a table of any size reads at most (kinds x 3 + channels x 2) x COUNT_CAP index
 * entries. A gauge at this value means "this many or more".
 */
export const COUNT_CAP = 10_000;

const KINDS = Object.keys(JOB_PAYLOADS);
const CHANNELS: readonly Channel[] = ['email', 'sms'];

interface Reading {
  jobs: JobCensus[];
  deliveries: DeliveryCensus[];
}

/**
 * The gauges that describe the database every node shares (the job queue and the outbox),
 * read from the store at a scrape. Every node reports the same values for the same database:
 * they are named `rdmc_cluster_*`, and a dashboard takes one node's (`max`), never their sum.
 * A reading is kept for `cacheMs` (RDMC_METRICS_CACHE_MS) and scrapes meanwhile share it, as
 * do scrapes that arrive while it is being taken, so no rate of scrapes loads the store more.
 */
export class ClusterGauges {
  private reading: Promise<Reading | null> | null = null;
  private takenAt = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly cacheMs: number,
    private readonly log: Logger,
  ) {}

  /** Null when the store could not be read (an outage): the series are then left out, and `rdmc_cluster_up` says 0. */
  private read(): Promise<Reading | null> {
    const now = performance.now();
    if (this.reading && now - this.takenAt < this.cacheMs) return this.reading;
    this.takenAt = now;
    this.reading = this.store
      .read(async (tx) => ({ jobs: await tx.jobs.census(KINDS, COUNT_CAP), deliveries: await tx.outbox.census(CHANNELS, COUNT_CAP) }))
      .catch((err: unknown) => {
        // An outage is the store's outage log's to report, once.
        if (!(err instanceof StoreUnavailable)) this.log.error({ err }, 'the cluster gauges could not be read');
        return null;
      });
    return this.reading;
  }

  async render(): Promise<string[]> {
    const reading = await this.read();
    const up = gaugeFamily('rdmc_cluster_up', 'Whether this node could read the cluster gauges from the database at its last reading (1) or not (0, and the rdmc_cluster_* series are left out).', [[{}, reading ? 1 : 0]]);
    if (!reading) return up;
    const now = this.clock.now();
    return [
      ...up,
      ...gaugeFamily(
        'rdmc_cluster_jobs',
        `Jobs in the database, every node's, by kind and state: pending (queued, waiting to retry, or running), held (waiting for a release, async mode manual), failed (given up; kept for RDMC_RETENTION_FAILED_JOBS_MS). Counts stop at ${COUNT_CAP}.`,
        reading.jobs.flatMap((j) => (['pending', 'held', 'failed'] as const).map((state): [Record<string, string>, number] => [{ kind: j.kind, state }, j[state]])),
      ),
      ...gaugeFamily(
        'rdmc_cluster_jobs_oldest_due_age_seconds',
        'By kind, how long the oldest pending job that is due (not held, its run time past) has been due: 0 when none is. Running jobs count until they finish.',
        reading.jobs.map((j) => [{ kind: j.kind }, j.oldestRunAt === null ? 0 : Math.max(0, now - j.oldestRunAt) / 1000]),
      ),
      ...gaugeFamily(
        'rdmc_cluster_deliveries',
        `Outbox messages by channel and state: pending (to be sent, retries included), failed (given up). Counts stop at ${COUNT_CAP}.`,
        reading.deliveries.flatMap((d) => (['pending', 'failed'] as const).map((state): [Record<string, string>, number] => [{ channel: d.channel, state }, d[state]])),
      ),
    ];
  }
}
