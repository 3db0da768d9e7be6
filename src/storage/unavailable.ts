/**
 * Thrown by a store when the database cannot serve a statement for a reason that passes: the
 * PostgreSQL server is down, restarting or unreachable, or the SQLite file cannot be written
 * (a full disk, a read-only file). Callers answer 503 ServiceUnavailable, which clients retry,
 * instead of 500 InternalError, which says rdmc has a bug. `cause` keeps the driver's error.
 */
export class StoreUnavailable extends Error {
  constructor(
    /** `unreachable`: no connection to the database; `unwritable`: it answers but cannot commit. */
    readonly reason: 'unreachable' | 'unwritable',
    options: { cause: unknown },
  ) {
    super(`the database is ${reason}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
    this.name = 'StoreUnavailable';
  }
}
