import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../storage/store.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import { bounded, type AuditEntry } from './entry.js';
import { AuditScope } from './scope.js';

/** What the caller of a write says about it before it runs; the trail adds when, and the outcome. */
export type AuditStart = Omit<AuditEntry, 'at' | 'status' | 'code'>;

/**
 * Records every write: opens its scope (src/audit/scope.ts) when the caller is known, and at
 * its end makes sure exactly one record of it exists, then logs it. A write whose transaction
 * carried the record costs nothing more when it succeeds; a write that failed before any
 * commit, or that commits nothing, is recorded with one statement of its own (`writeOne`:
 * atomic by itself, no transaction around it), and a write that failed after a commit has its
 * record's outcome corrected the same way.
 */
export class AuditTrail {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  begin(start: AuditStart): AuditScope {
    return new AuditScope({ ...start, targets: [...start.targets], at: this.clock.now(), status: 200, code: '' });
  }

  /** Ends the write with the status it answers (and its error code): the record is saved before the answer goes out. Never throws. */
  async finish(scope: AuditScope, status: number, code: string): Promise<void> {
    const stored = scope.state === 'written' ? scope.stored : null;
    scope.state = 'closed';
    const entry = bounded({ ...scope.entry, status, code });
    let saved = true;
    try {
      if (!stored) await this.store.writeOne((tx) => tx.audit.insert(entry));
      else if (stored.entry.status !== status || stored.entry.code !== code) await this.store.writeOne((tx) => tx.audit.settle(stored.seq, status, code));
    } catch (err) {
      // The write's own answer stands, and the log line below says what happened (`saved: false`).
      // An outage is logged once by the store; anything else is a bug, logged here.
      saved = false;
      if (!(err instanceof StoreUnavailable)) this.log.error({ requestId: entry.requestId, err }, 'the audit record could not be saved');
    }
    this.log.info({ ...logFields(stored ? { ...entry, targets: stored.entry.targets } : entry), ...(!saved && { saved }) }, 'audit');
  }

  /** Ends a request that turned out to be no write worth a record (a verification link nobody holds): nothing is kept. */
  discard(scope: AuditScope): void {
    scope.state = 'closed';
  }
}

/** The log line's fields: the record's, named as in the rest of the log (camelCase, `requestId`). */
function logFields(e: AuditEntry) {
  return {
    requestId: e.requestId,
    at: new Date(e.at).toISOString(),
    identityType: e.identityType,
    actor: e.actor,
    accessKeyId: e.accessKeyId ?? undefined,
    accountId: e.accountId ?? undefined,
    peer: e.peer ?? undefined,
    action: e.action,
    targets: e.targets,
    status: e.status,
    ...(e.code && { code: e.code }),
  };
}
