import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
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
export function watchBudget(client: pg.PoolClient): Watch {
  const budget = currentBudget();
  const watch = { cancelled: false, stop: () => {} };
  if (!budget) return watch;
  const cancel = () => {
    if (watch.cancelled) return;
    watch.cancelled = true;
    sendCancel(client as unknown as CancelTarget);
  };
  const timer = setTimeout(cancel, Math.max(0, budget.endsAt - performance.now()));
  budget.signal.addEventListener('abort', cancel, { once: true });
  watch.stop = () => {
    clearTimeout(timer);
    budget.signal.removeEventListener('abort', cancel);
  };
  return watch;
}

/** What a cancel request names: the backend of a pooled connection, and where the server listens. */
interface CancelTarget {
  host: string;
  port: number;
  processID: number;
  secretKey: number;
}

/**
 * PostgreSQL's cancel request (protocol: a 16-byte CancelRequest on a fresh connection, which
 * the server closes; it needs no login and takes no connection slot). It cancels whatever the
 * backend runs when it arrives, nothing when it is idle. Errors are ignored: the statement
 * timeout still ends the statement.
 */
function sendCancel(target: CancelTarget): void {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(target.processID, 8);
  packet.writeInt32BE(target.secretKey, 12);
  const where = target.host.startsWith('/') ? { path: `${target.host}/.s.PGSQL.${target.port}` } : { host: target.host, port: target.port };
  const socket = connect(where, () => socket.end(packet));
  socket.on('error', () => socket.destroy());
  socket.setTimeout(10_000, () => socket.destroy());
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
