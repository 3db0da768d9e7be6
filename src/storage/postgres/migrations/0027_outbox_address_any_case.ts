/**
 * Migration 27: the outbox's To filter ignores the case of the address, as the send limits
 * do (src/services/verification.ts), so its lookup reads an index on the lowered address.
 * Never edited once landed.
 */
export default `
DROP INDEX outbox_messages_to;
CREATE INDEX outbox_messages_to_lower ON outbox_messages(lower(to_address), created_at, seq);
`;
