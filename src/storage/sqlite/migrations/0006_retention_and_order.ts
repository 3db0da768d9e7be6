/**
 * Migration 6: indexes for retention (pruning finds old rows without a scan; the outbox's
 * is migration 9's) and for lists in creation order. Rows created in the same millisecond
 * are told apart by rowid, which every index carries after its columns. Never edited once landed.
 */
export default `
CREATE INDEX verification_tokens_expiry ON verification_tokens(expires_at);
CREATE INDEX verification_tokens_used ON verification_tokens(used_at) WHERE used_at IS NOT NULL;
CREATE INDEX jobs_finished ON jobs(state, run_at);
CREATE INDEX contacts_created ON contacts(directory_id, create_time);
CREATE INDEX folders_created ON folders(directory_id, parent_id, create_time);
`;
