/**
 * Migration 14: signature nonces are written to the write-ahead log again (migration 5 had
 * taken them out). PostgreSQL empties an UNLOGGED table in crash recovery, so a crash of the
 * database server forgot every nonce, and a request signed before it could be replayed for
 * the rest of its 15-minute window (one undid a later acknowledged update). A signed request
 * now goes on only once its nonce is durable. The table is rewritten once, under the
 * migrations' lock. Never edited once landed.
 */
export default `
ALTER TABLE signature_nonces SET LOGGED;
`;
