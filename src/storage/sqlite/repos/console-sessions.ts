import { prepareAll, type Db } from '../db.js';
import { toConsoleSession, type ConsoleSessionRow } from '../../rows/console-sessions.js';
import type { ConsoleSessionRepo } from '../../store.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  insert: 'INSERT INTO console_sessions (secret_hash, created_at, last_seen_at) VALUES (@secretHash, @createdAt, @lastSeenAt)',
  byHash: 'SELECT * FROM console_sessions WHERE secret_hash = ?',
  touch: 'UPDATE console_sessions SET last_seen_at = ? WHERE secret_hash = ?',
  delete: 'DELETE FROM console_sessions WHERE secret_hash = ?',
  // The table is never more than a few rows over `keep` (every login trims it), so this reads few.
  keepLatest: `DELETE FROM console_sessions WHERE secret_hash IN
    (SELECT secret_hash FROM console_sessions ORDER BY last_seen_at DESC LIMIT -1 OFFSET ?)`,
};

export function consoleSessionRepo(db: Db): ConsoleSessionRepo {
  const p = prepareAll(db, statements);
  return {
    async insert(s) {
      p.insert.run(s);
    },
    async byHash(secretHash) {
      const r = p.byHash.get(secretHash) as ConsoleSessionRow | undefined;
      return r ? toConsoleSession(r) : null;
    },
    async touch(secretHash, at) {
      p.touch.run(at, secretHash);
    },
    async delete(secretHash) {
      return p.delete.run(secretHash).changes === 1;
    },
    async keepLatest(keep) {
      return p.keepLatest.run(keep).changes;
    },
  };
}
