import { toConsoleSession, type ConsoleSessionRow } from '../../rows/console-sessions.js';
import type { ConsoleSessionRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  insert: sql('INSERT INTO console_sessions (secret_hash, created_at, last_seen_at) VALUES ($1, $2, $3)'),
  byHash: sql<ConsoleSessionRow>('SELECT * FROM console_sessions WHERE secret_hash = $1'),
  touch: sql('UPDATE console_sessions SET last_seen_at = $1 WHERE secret_hash = $2'),
  delete: sql('DELETE FROM console_sessions WHERE secret_hash = $1'),
  // The table is never more than a few rows over `keep` (every login trims it), so this reads few.
  keepLatest: sql(
    `DELETE FROM console_sessions WHERE secret_hash IN
       (SELECT secret_hash FROM console_sessions ORDER BY last_seen_at DESC OFFSET $1)`,
  ),
};

export function consoleSessionRepo(q: Queryable): ConsoleSessionRepo {
  const s = statements;
  return {
    async insert(r) {
      await s.insert.run(q, [r.secretHash, r.createdAt, r.lastSeenAt]);
    },
    async byHash(secretHash) {
      const r = await s.byHash.one(q, [secretHash]);
      return r && toConsoleSession(r);
    },
    async touch(secretHash, at) {
      await s.touch.run(q, [at, secretHash]);
    },
    async delete(secretHash) {
      return (await s.delete.run(q, [secretHash])) === 1;
    },
    keepLatest: (keep) => s.keepLatest.run(q, [keep]),
  };
}
