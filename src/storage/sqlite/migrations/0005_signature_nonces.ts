/**
 * Migration 5: signature nonces in the database file, so a request captured before a restart
 * is still refused as a replay after it. Never edited once landed.
 */
export default `
CREATE TABLE signature_nonces (
  access_key_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (access_key_id, nonce)
) WITHOUT ROWID;
CREATE INDEX signature_nonces_expiry ON signature_nonces(expires_at);
`;
