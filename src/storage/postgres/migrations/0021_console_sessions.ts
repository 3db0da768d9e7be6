/**
 * Migration 21: sessions of the web console's login (src/console/sessions.ts), shared by
 * every node. A row holds the SHA-256 of the session's secret, never the secret (the
 * browser's cookie holds that), so a copy of the database or a dump lets nobody in. The
 * indexes serve the expiry pruning and the cap on live sessions. (Number 21: the numbers
 * between were handed to other work.) Never edited once landed.
 */
export default `
CREATE TABLE console_sessions (
  secret_hash TEXT COLLATE "C" PRIMARY KEY,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_created ON console_sessions(created_at);
CREATE INDEX console_sessions_last_seen ON console_sessions(last_seen_at);
`;
