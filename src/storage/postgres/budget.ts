import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { BudgetSpent, currentBudget, remainingMs } from '../request-budget.js';

/**
 * A request's budget on PostgreSQL (src/storage/request-budget.ts). Waiting for a pooled
 * connection ends at the deadline; the transaction's statements each get the time left as
 * `statement_timeout`; and at the deadline, or when the client leaves, the statement running
 * is cancelled (PostgreSQL's cancel request, on a connection of its own, so a full pool does
 * not delay it). A cancelled connection is closed rather than pooled again: a cancel request
 * that lands late would otherwise cancel whatever the next borrower runs.
 */

/** A connection from the pool, waiting no longer than the request's budget allows. */
export async function connectWithin(pool: pg.Pool): Promise<pg.PoolClient> {
  const left = remainingMs();
  const budget = currentBudget();
  if (left === undefined || !budget) return pool.connect();
  const pending = pool.connect();
  let stop = () => {};
  const spent = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new BudgetSpent('deadline')), left);
    const abandoned = () => reject(new BudgetSpent('abandoned'));
    budget.signal.addEventListener('abort', abandoned, { once: true });
    stop = () => {
      clearTimeout(timer);
      budget.signal.removeEventListener('abort', abandoned);
    };
  });
  try {
    return await Promise.race([pending, spent]);
  } catch (err) {
    // The pool keeps the request in its queue: the connection it hands over later goes back.
    pending.then((client) => client.release(), () => undefined);
    throw err;
  } finally {
    stop();
  }
}

/** `begin` with the time left as every statement's timeout, inside a request. */
export function beginWithin(begin: string): string {
  const left = remainingMs();
  return left === undefined ? begin : `${begin}; SET LOCAL statement_timeout = ${left}`;
}

export interface Watch {
  /** Whether a cancel was sent: the connection must then be closed, not pooled again. */
  readonly cancelled: boolean;
  stop(): void;
}

/** Cancels the statement `client` runs when the request's deadline passes or its client leaves. */
export function watchBudget(pool: pg.Pool, client: pg.PoolClient): Watch {
  const budget = currentBudget();
  const watch = { cancelled: false, stop: () => {} };
  if (!budget) return watch;
  const cancel = () => {
    const running = (client as unknown as { activeQuery?: unknown }).activeQuery;
    if (!running || watch.cancelled) return;
    watch.cancelled = true;
    // A Client used only to send the cancel request; it opens no session.
    (new pg.Client(pool.options) as unknown as { cancel(c: pg.PoolClient, q: unknown): void }).cancel(client, running);
  };
  const timer = setTimeout(cancel, Math.max(0, budget.endsAt - performance.now()));
  budget.signal.addEventListener('abort', cancel, { once: true });
  watch.stop = () => {
    clearTimeout(timer);
    budget.signal.removeEventListener('abort', cancel);
  };
  return watch;
}

/** PostgreSQL's `query_canceled`, from a statement timeout or a cancel request. */
const QUERY_CANCELED = '57014';

/** The error a cancelled statement is answered with, when the request's budget cancelled it. */
export function spentOr(err: unknown): unknown {
  if ((err as { code?: string }).code !== QUERY_CANCELED) return err;
  const budget = currentBudget();
  if (!budget) return err;
  return new BudgetSpent(budget.signal.aborted ? 'abandoned' : 'deadline', { cause: err });
}
