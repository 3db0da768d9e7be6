import type Database from 'better-sqlite3';
import type { Executor } from '../executor.js';
import type { Params, Statement } from '../statement.js';
import type { Db } from './db.js';

/**
 * Shared repos on one SQLite connection. Each statement is prepared on first use and kept
 * for the connection's life: preparing on every call costs more than most of rdmc's reads.
 * better-sqlite3 answers synchronously; the promises only meet the shared contract.
 */
export function sqliteExecutor(db: Db): Executor {
  const prepared = new Map<Statement<object, Params>, Database.Statement<unknown[]>>();
  const prepare = (s: Statement<object, Params>) => {
    let p = prepared.get(s);
    if (!p) prepared.set(s, (p = db.prepare(s.for('sqlite').text)));
    return p;
  };
  return {
    dialect: 'sqlite',
    async one<Row extends object, P extends Params>(s: Statement<Row, P>, params: P) {
      // The one place rows are typed: the statement's row type is its columns (src/storage/rows/).
      return (prepare(s).get(...s.for('sqlite').values(params)) as Row | undefined) ?? null;
    },
    async all<Row extends object, P extends Params>(s: Statement<Row, P>, params: P) {
      return prepare(s).all(...s.for('sqlite').values(params)) as Row[];
    },
    async run<P extends Params>(s: Statement<object, P>, params: P) {
      return prepare(s).run(...s.for('sqlite').values(params)).changes;
    },
  };
}
