/**
 * Migration 13: retention prunes send-rate counters by time, in batches, instead of every
 * send deleting them; the batches read this index, not the table. Never edited once landed.
 */
export default `
CREATE INDEX verification_sends_time ON verification_sends(sent_at);
`;
