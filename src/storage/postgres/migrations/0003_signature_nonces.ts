/**
 * Migration 3: signature nonces, shared by every node so a request replayed on another one
 * is refused. (SQLite keeps them in memory: one process owns that database.) Never edited once landed.
 */
export default `
CREATE TABLE signature_nonces (
  access_key_id TEXT COLLATE "C" NOT NULL,
  nonce TEXT COLLATE "C" NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
);
CREATE INDEX signature_nonces_expiry ON signature_nonces(expires_at);
`;
