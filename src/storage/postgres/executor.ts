import type { Executor } from '../executor.js';
import type { Queryable } from './sql.js';

/** Shared repos on a PostgreSQL transaction's connection, or on the pool: every statement a named prepared one. */
export function postgresExecutor(q: Queryable): Executor {
  return {
    dialect: 'postgres',
    async one(s, params) {
      const r = s.forPostgres();
      return r.prepared.one(q, r.values(params));
    },
    async all(s, params) {
      const r = s.forPostgres();
      return r.prepared.all(q, r.values(params));
    },
    async run(s, params) {
      const r = s.forPostgres();
      return r.prepared.run(q, r.values(params));
    },
  };
}
