import type { AdvancingClock } from '../domain/advancing-clock.js';
import type { Clock } from '../domain/clock.js';
import { ownErrors } from '../domain/errors.js';
import type { JobQueue } from '../jobs/queue.js';

/** What moving the clock needs of the job worker: jobs that just fell due run now, or soon. */
export interface DueJobs {
  wake(): void;
  drain(): Promise<void>;
}

export interface TimeReading {
  /** The node's domain time, ISO 8601. */
  Now: string;
  /** How far the admin API has moved this node's clock since it started. */
  AdvancedMs: number;
}

/**
 * The node's clock as the admin API moves it (docs/operations.md, Time). Moving it is all a
 * test needs to see a link or a console session expire, a retry or a delay come due, or
 * retention prune: every rule reads this clock. Jobs that fall due run as in the async mode:
 * before the answer in `immediate`, by the worker at once otherwise (held jobs of `manual`
 * mode stay held until `POST /_rdmc/jobs/run`).
 */
export class TimeControl {
  constructor(
    /** The clock `advance` moves. */
    private readonly travel: AdvancingClock,
    /** The domain clock as rules read it: `travel`, corrected to the database's time. */
    private readonly domain: Clock,
    /** RDMC_TIME_TRAVEL: off unless a test turns it on. */
    private readonly allowed: boolean,
    private readonly queue: JobQueue,
    private readonly jobs: DueJobs,
  ) {}

  read(): TimeReading {
    return { Now: new Date(this.domain.now()).toISOString(), AdvancedMs: this.travel.advancedMs };
  }

  /** A move asked over the admin API: refused unless RDMC_TIME_TRAVEL turned it on (docs/operations.md, Time). */
  async advanceByRequest(ms: number): Promise<TimeReading> {
    if (!this.allowed) throw ownErrors.timeTravelOff();
    return this.advance(ms);
  }

  /** A move by the process that embeds the server (src/facade/admin.ts): it owns the node, so no setting gates it. */
  async advance(ms: number): Promise<TimeReading> {
    this.travel.advance(ms);
    if (this.queue.settings.mode === 'immediate') await this.jobs.drain();
    else this.jobs.wake();
    return this.read();
  }
}
