import { AsyncLocalStorage } from 'node:async_hooks';
import { bounded, type AuditEntry } from './entry.js';

/**
 * The audit record of the write one request is making, from the moment its caller is known
 * until its answer. The first write transaction the request commits carries the record with
 * it (the stores ask `claimPendingAudit` just before COMMIT), so a write costs no statement of
 * its own for its record, and no record exists of a change that did not commit. What is left
 * when the request ends (a refused write, a write without a transaction) the trail writes by
 * itself (src/audit/trail.ts).
 */
export class AuditScope {
  /** open: no transaction carried the record yet; claimed: one is committing it; written; closed: the request ended. */
  state: 'open' | 'claimed' | 'written' | 'closed' = 'open';
  /** The record as a transaction stored it, with its `seq`. */
  stored: { seq: number; entry: AuditEntry } | null = null;

  constructor(readonly entry: AuditEntry) {}
}

const current = new AsyncLocalStorage<AuditScope>();

/** Runs one request's write under `scope`. */
export const withinAudit = <T>(scope: AuditScope, fn: () => Promise<T>): Promise<T> => current.run(scope, fn);

/** The open scope this code runs for: a closed one (background work a request started, say) is none. */
function live(): AuditScope | undefined {
  const scope = current.getStore();
  return scope && scope.state !== 'closed' ? scope : undefined;
}

/** More than a record keeps (see AUDIT_BOUNDS), so a seed minting 100,000 IDs holds no more than this. */
const NOTED_MAX = 64;

/** Adds the IDs of objects the current write names or creates to its record (nothing outside a write). */
export function noteAuditTargets(...ids: string[]): void {
  const targets = live()?.entry.targets;
  if (targets && targets.length < NOTED_MAX) targets.push(...ids.slice(0, NOTED_MAX - targets.length));
}

/** What a store's write transaction commits with: the record, and what to report once the commit succeeded or failed. */
export interface PendingAudit {
  entry: AuditEntry;
  committed(seq: number): void;
  failed(): void;
}

/**
 * For the stores, just before a write transaction commits: the record of the request it runs
 * for, unless another of its transactions carries it already. Outside a write, null.
 */
export function claimPendingAudit(): PendingAudit | null {
  const scope = live();
  if (!scope || scope.state !== 'open') return null;
  scope.state = 'claimed';
  const entry = bounded(scope.entry);
  return {
    entry,
    committed(seq) {
      scope.stored = { seq, entry };
      scope.state = 'written';
    },
    failed() {
      if (scope.state === 'claimed') scope.state = 'open';
    },
  };
}
