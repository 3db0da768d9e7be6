import type { Executor } from '../executor.js';
import { toConsoleSession, type ConsoleSessionRow } from '../rows/console-sessions.js';
import { statement, type NoRow } from '../statement.js';
import type { ConsoleSessionRepo } from '../store.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  insert: statement<NoRow, { secretHash: string; createdAt: number; lastSeenAt: number }>(
    'INSERT INTO console_sessions (secret_hash, created_at, last_seen_at) VALUES (:secretHash, :createdAt, :lastSeenAt)',
  ),
  byHash: statement<ConsoleSessionRow, { secretHash: string }>('SELECT * FROM console_sessions WHERE secret_hash = :secretHash'),
  touch: statement<NoRow, { secretHash: string; at: number }>('UPDATE console_sessions SET last_seen_at = :at WHERE secret_hash = :secretHash'),
  delete: statement<NoRow, { secretHash: string }>('DELETE FROM console_sessions WHERE secret_hash = :secretHash'),
  // The table is never more than a few rows over `keep` (every login trims it), so this reads few.
  // SQLite takes an OFFSET only after a LIMIT (-1: none); PostgreSQL refuses a negative LIMIT.
  keepLatest: statement<NoRow, { keep: number }>(
    (d) => `DELETE FROM console_sessions WHERE secret_hash IN
      (SELECT secret_hash FROM console_sessions ORDER BY last_seen_at DESC ${d.name === 'sqlite' ? 'LIMIT -1 ' : ''}OFFSET :keep)`,
  ),
};
const s = statements;

export function consoleSessionRepo(x: Executor): ConsoleSessionRepo {
  return {
    async insert(r) {
      await x.run(s.insert, { secretHash: r.secretHash, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt });
    },
    async byHash(secretHash) {
      const r = await x.one(s.byHash, { secretHash });
      return r && toConsoleSession(r);
    },
    async touch(secretHash, at) {
      await x.run(s.touch, { secretHash, at });
    },
    async delete(secretHash) {
      return (await x.run(s.delete, { secretHash })) === 1;
    },
    keepLatest: (keep) => x.run(s.keepLatest, { keep }),
  };
}
