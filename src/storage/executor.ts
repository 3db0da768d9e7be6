import type { DialectName, Statement, Params } from './statement.js';

/**
 * What a shared repo (src/storage/repos/) runs its statements on: the one SQLite connection,
 * or a PostgreSQL transaction's connection (or the pool). Each dialect implements it thinly:
 * src/storage/sqlite/executor.ts, src/storage/postgres/executor.ts.
 */
export interface Executor {
  /** For the rare method whose best strategy differs by dialect (say why where you branch). */
  readonly dialect: DialectName;
  /** The first row, or null. */
  one<Row extends object, P extends Params>(s: Statement<Row, P>, params: P): Promise<Row | null>;
  all<Row extends object, P extends Params>(s: Statement<Row, P>, params: P): Promise<Row[]>;
  /** Runs a statement and answers how many rows it touched. */
  run<P extends Params>(s: Statement<object, P>, params: P): Promise<number>;
}
