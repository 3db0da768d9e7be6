import type { ConsoleSessionRecord } from '../records.js';

/** A `console_sessions` row as both dialects return it. */
export interface ConsoleSessionRow {
  secret_hash: string;
  created_at: number;
  last_seen_at: number;
}

export const toConsoleSession = (r: ConsoleSessionRow): ConsoleSessionRecord => ({
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});
