import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * How long one API request's database work may take, and whether anybody still waits for
 * it. The pipeline opens a budget around an action; the stores read it wherever work can be
 * cut short: SQLite between the windows of a long read, PostgreSQL as the transaction's
 * `statement_timeout` and by cancelling the statement when the client leaves. Work outside
 * a request (jobs, admin routes, start-up) has no budget and is never cut.
 */
export interface RequestBudget {
  /** `performance.now()` past which the request's work stops. */
  readonly endsAt: number;
  /** Aborted when the client goes away before its answer. */
  readonly signal: AbortSignal;
}

/**
 * Thrown by a store when the request's budget is spent (`deadline`) or its client left
 * (`abandoned`). Answered as 503 ServiceUnavailable, which clients retry (docs/operations.md).
 */
export class BudgetSpent extends Error {
  constructor(readonly reason: 'deadline' | 'abandoned', options?: { cause: unknown }) {
    super(reason === 'deadline' ? 'the request ran past its deadline' : 'the client left before the answer', options);
    this.name = 'BudgetSpent';
  }
}

const current = new AsyncLocalStorage<RequestBudget>();

/** Runs one request's work under `budget`. */
export const withinBudget = <T>(budget: RequestBudget, fn: () => Promise<T>): Promise<T> => current.run(budget, fn);

/** The budget of the request this code runs for, if any. */
export const currentBudget = (): RequestBudget | undefined => current.getStore();

/** Milliseconds left of the current request's budget (at least 1); undefined outside a request. Throws when spent. */
export function remainingMs(): number | undefined {
  const budget = current.getStore();
  if (!budget) return undefined;
  if (budget.signal.aborted) throw new BudgetSpent('abandoned');
  const left = Math.ceil(budget.endsAt - performance.now());
  if (left <= 0) throw new BudgetSpent('deadline');
  return left;
}
