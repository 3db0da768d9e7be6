import type { Executor } from '../executor.js';
import { deliveryCensusSql, toOutbox, type OutboxRow } from '../rows/outbox.js';
import { statement, type NoParams, type NoRow } from '../statement.js';
import type { DeliveryCensus, OutboxRepo } from '../store.js';

type CursorRow = { id: string; created_at: number };
const cursor = (r: CursorRow) => ({ id: r.id, createdAt: r.created_at });
type Limit = { limit: number };

/** Exported for the contract suite's plan checks: a bulk retry walks the failed deliveries' own index. */
export const statements = {
  insert: statement<
    NoRow,
    {
      id: string; messageId: string; channel: string; to: string; subject: string; body: string; link: string | null; contactId: string | null;
      accountId: string | null; createdAt: number; delivery: string; attempts: number; lastError: string | null; deliveredAt: number | null;
    }
  >(
    `INSERT INTO outbox_messages (id, message_id, channel, to_address, subject, body, link, contact_id, account_id, created_at,
       delivery, attempts, last_error, delivered_at)
     VALUES (:id, :messageId, :channel, :to, :subject, :body, :link, :contactId, :accountId, :createdAt, :delivery, :attempts,
       :lastError, :deliveredAt)`,
  ),
  byId: statement<OutboxRow, { id: string }>('SELECT * FROM outbox_messages WHERE id = :id'),
  // Any case of the address (the index is on lower(to_address)); the order column breaks ties
  // between messages recorded in the same millisecond.
  forAddress: statement<OutboxRow, { to: string } & Limit>(
    (d) => `SELECT * FROM outbox_messages WHERE lower(to_address) = lower(:to) ORDER BY created_at DESC, ${d.order} DESC LIMIT :limit`,
  ),
  latest: statement<OutboxRow, Limit>((d) => `SELECT * FROM outbox_messages ORDER BY created_at DESC, ${d.order} DESC LIMIT :limit`),
  byMessageId: statement<OutboxRow, { messageId: string } & Limit>(
    (d) => `SELECT * FROM outbox_messages WHERE message_id = :messageId ORDER BY ${d.order} LIMIT :limit`,
  ),
  clearAll: statement<NoRow, NoParams>('DELETE FROM outbox_messages'),
  clearSome: statement<NoRow, { messageIds: readonly string[] }>((d) => `DELETE FROM outbox_messages WHERE ${d.in('message_id', 'messageIds')}`),
  update: statement<NoRow, { id: string; delivery: string; attempts: number; lastError: string | null; deliveredAt: number | null }>(
    'UPDATE outbox_messages SET delivery = :delivery, attempts = :attempts, last_error = :lastError, delivered_at = :deliveredAt WHERE id = :id',
  ),
  census: statement<DeliveryCensus, { channels: readonly string[]; cap: number }>((d) => deliveryCensusSql(d.table('channels', 'c', 'channel'), ':cap')),
  failedAfter: statement<CursorRow, { afterAt: number; afterId: string } & Limit>(
    (d) => `SELECT id, created_at FROM outbox_messages ${d.indexedBy('outbox_messages_failed')}
     WHERE delivery = 'failed' AND created_at >= :afterAt AND (created_at > :afterAt OR id > :afterId) ORDER BY created_at, id LIMIT :limit`,
  ),
  failedOfMessage: statement<CursorRow, { messageId: string } & Limit>(
    "SELECT id, created_at FROM outbox_messages WHERE message_id = :messageId AND delivery = 'failed' LIMIT :limit",
  ),
  redrive: statement<{ id: string }, { ids: readonly string[] }>(
    (d) => `UPDATE outbox_messages SET delivery = 'pending' WHERE ${d.in('id', 'ids')} AND delivery = 'failed' RETURNING id`,
  ),
};
const s = statements;

export function outboxRepo(x: Executor): OutboxRepo {
  return {
    async insert(m) {
      const { id, messageId, channel, to, subject, body, link, contactId, accountId, createdAt, delivery, attempts, lastError, deliveredAt } = m;
      await x.run(s.insert, { id, messageId, channel, to, subject, body, link, contactId, accountId, createdAt, delivery, attempts, lastError, deliveredAt });
    },
    async byId(id) {
      const r = await x.one(s.byId, { id });
      return r && toOutbox(r);
    },
    async forAddress(to, limit) {
      return (await x.all(s.forAddress, { to, limit })).map(toOutbox);
    },
    async latest(limit) {
      return (await x.all(s.latest, { limit })).map(toOutbox);
    },
    async byMessageId(messageId, limit) {
      return (await x.all(s.byMessageId, { messageId, limit })).map(toOutbox);
    },
    // One statement per call: the list of IDs is one parameter, whatever its length.
    clear: (messageIds) => (messageIds === null ? x.run(s.clearAll, {}) : x.run(s.clearSome, { messageIds })),
    async update(m) {
      const { id, delivery, attempts, lastError, deliveredAt } = m;
      await x.run(s.update, { id, delivery, attempts, lastError, deliveredAt });
    },
    census: (channels, cap) => x.all(s.census, { channels, cap }),
    async failedAfter(after, limit) {
      return (await x.all(s.failedAfter, { afterAt: after.createdAt, afterId: after.id, limit })).map(cursor);
    },
    async failedOfMessage(messageId, limit) {
      return (await x.all(s.failedOfMessage, { messageId, limit })).map(cursor);
    },
    async redrive(ids) {
      return (await x.all(s.redrive, { ids })).map((r) => r.id);
    },
  };
}
