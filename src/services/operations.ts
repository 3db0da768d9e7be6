import { ownErrors } from '../domain/errors.js';
import type { AsyncSettings, JobQueue } from '../jobs/queue.js';
import type { ServiceDeps } from './deps.js';
import { SchemaMismatch } from '../storage/schema-version.js';

/** What the operator controls need of the job worker: run every due job now. */
export interface JobRunner {
  drain(): Promise<void>;
}

/**
 * The operator's controls of the running server (docs/reference/model.md section 7): its
 * health, releasing held jobs and how background work is scheduled, and a copy of the database.
 * The admin API reaches the store through here only, as RPC actions do through theirs.
 */
export class OperationsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly queue: JobQueue,
    private readonly runner: JobRunner,
  ) {}

  /** Healthy when the database can serve requests now: the readiness probe's check (src/storage/store.ts `probe`). */
  async health() {
    await this.deps.store.probe().catch((err: unknown) => {
      // The operator's check says which migrations differ; readiness, unauthenticated, only why.
      throw err instanceof SchemaMismatch ? ownErrors.schemaMismatch(err.message) : err;
    });
    return { Status: 'ok' };
  }

  /** Releases every held job and runs the due ones to completion, so the caller sees their effects. */
  async runJobs() {
    const released = await this.deps.store.writeOne((tx) => tx.jobs.release(this.deps.clock.now()));
    await this.runner.drain();
    return { Released: released };
  }

  asyncSettings() {
    return asyncView(this.queue.settings);
  }

  setAsyncSettings(p: { Mode: AsyncSettings['mode']; DelayMs?: number }) {
    this.queue.settings.mode = p.Mode;
    if (p.DelayMs !== undefined) this.queue.settings.delayMs = p.DelayMs;
    return asyncView(this.queue.settings);
  }

  /** An online copy of the database to `destination`, where the store has one (SQLite). */
  async backup(destination: string): Promise<void> {
    if (!this.deps.store.backup) {
      throw ownErrors.backupUnsupported();
    }
    await this.deps.store.backup(destination);
  }
}

const asyncView = (s: AsyncSettings) => ({ Mode: s.mode, DelayMs: s.delayMs });
