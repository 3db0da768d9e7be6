import { StoreUnavailable } from '../unavailable.js';

/**
 * SQLSTATEs that say the server cannot serve this connection for now, whatever the statement:
 * class 08 (connection exception), 57P01 admin_shutdown (`pg_ctl stop -m fast`), 57P02
 * crash_shutdown (another backend crashed), 57P03 cannot_connect_now ("the database system is
 * starting up" or "shutting down"), 53300 too_many_connections.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** Socket errors of a connection that cannot be made or was cut. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * What node-postgres says when a connection died or never came (its own messages, no code):
 * "Connection terminated unexpectedly", "Connection terminated due to connection timeout", "timeout
 * exceeded when trying to connect" (the pool's connectionTimeoutMillis), "Client has encountered a
 * connection error and is not queryable". A pool or client used after rdmc closed it is a bug, not
 * an outage.
 */
const DRIVER_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Whether `err` means the database is out of reach for a while (down, restarting, starting,
 * unreachable), as opposed to a statement it refused: a constraint, a syntax error or a
 * serialisation failure is never one.
 */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('08') || SQLSTATES.has(code) || SOCKET_CODES.has(code))) return true;
  return code === undefined && DRIVER_MESSAGES.test(err.message);
}

/** `err` as the store throws it: a connection error becomes `StoreUnavailable`, anything else is left as it is. */
export function asUnavailable(err: unknown): unknown {
  return !(err instanceof StoreUnavailable) && isConnectionError(err) ? new StoreUnavailable('unreachable', { cause: err }) : err;
}
