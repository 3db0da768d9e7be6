/**
 * Migration 26: what /_rdmc/metrics reads at a scrape (src/observability/cluster-gauges.ts):
 * jobs counted by kind and state, the oldest due job of each kind (the first entry of its
 * range), and deliveries counted by state and channel, each a range of an index, never the
 * rows. (Number 26: the numbers between were handed to other work.) Never edited once landed.
 */
export default `
CREATE INDEX jobs_census ON jobs(kind, state, held, run_at);
CREATE INDEX outbox_messages_delivery ON outbox_messages(delivery, channel);
`;
