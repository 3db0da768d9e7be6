/**
 * Migration 5: signature nonces skip the write-ahead log. A nonce row is written on every
 * signed request; logged, each one waited for a disk flush, the largest cost of a read on
 * PostgreSQL. What a crash of the database server can lose is the replay memory of the last
 * minutes, not anything a caller was told was saved. Never edited once landed.
 */
export default `
ALTER TABLE signature_nonces SET UNLOGGED;
`;
