import type Database from 'better-sqlite3';
import type { Executor } from '../executor.js';
import type { Params, Rendered, Statement } from '../statement.js';
import type { Db } from './db.js';

interface Prepared {
  form: Rendered;
  statement: Database.Statement<unknown[]>;
}

/**
 * Shared repos on one SQLite connection. Each statement is prepared on first use and kept
 * for the connection's life: preparing on every call costs more than most of rdmc's reads.
 * better-sqlite3 answers synchronously; the promises only meet the shared contract.
 */
export function sqliteExecutor(db: Db): Executor {
  const prepared = new Map<Statement<object, Params>, Prepared>();
  const bound = (s: Statement<object, Params>, params: Params) => {
    let p = prepared.get(s);
    if (!p) {
      const form = s.for('sqlite');
      prepared.set(s, (p = { form, statement: db.prepare(form.text) }));
    }
    return { statement: p.statement, values: p.form.values(params) };
  };
  return {
    dialect: 'sqlite',
    async one<Row extends object, P extends Params>(s: Statement<Row, P>, params: P) {
      const { statement, values } = bound(s, params);
      // The one place rows are typed: the statement's row type is its columns (src/storage/rows/).
      return (statement.get(...values) as Row | undefined) ?? null;
    },
    async all<Row extends object, P extends Params>(s: Statement<Row, P>, params: P) {
      const { statement, values } = bound(s, params);
      return statement.all(...values) as Row[];
    },
    async run<P extends Params>(s: Statement<object, P>, params: P) {
      const { statement, values } = bound(s, params);
      return statement.run(...values).changes;
    },
  };
}
