import { deliveryCensusSql, toOutbox, type OutboxRow } from '../../rows/outbox.js';
import type { DeliveryCensus } from '../../store.js';
import type { OutboxRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

type CursorRow = { id: string; created_at: number };
const cursor = (r: CursorRow) => ({ id: r.id, createdAt: r.created_at });

/** Exported for the contract suite's plan checks: a bulk retry walks the failed deliveries' own index. */
export const statements = {
  failedAfter: sql<CursorRow>(
    `SELECT id, created_at FROM outbox_messages
     WHERE delivery = 'failed' AND created_at >= $1 AND (created_at > $1 OR id > $2) ORDER BY created_at, id LIMIT $3`,
  ),
  failedOfMessage: sql<CursorRow>("SELECT id, created_at FROM outbox_messages WHERE message_id = $1 AND delivery = 'failed' LIMIT $2"),
  redrive: sql<{ id: string }>("UPDATE outbox_messages SET delivery = 'pending' WHERE id = ANY($1::text[]) AND delivery = 'failed' RETURNING id"),
  insert: sql(
    `INSERT INTO outbox_messages (id, message_id, channel, to_address, subject, body, link, contact_id, account_id, created_at,
       delivery, attempts, last_error, delivered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
  ),
  byId: sql<OutboxRow>('SELECT * FROM outbox_messages WHERE id = $1'),
  // Any case of the address (the index is on lower(to_address)); seq breaks ties between
  // messages recorded in the same millisecond.
  forAddress: sql<OutboxRow>('SELECT * FROM outbox_messages WHERE lower(to_address) = lower($1) ORDER BY created_at DESC, seq DESC LIMIT $2'),
  latest: sql<OutboxRow>('SELECT * FROM outbox_messages ORDER BY created_at DESC, seq DESC LIMIT $1'),
  byMessageId: sql<OutboxRow>('SELECT * FROM outbox_messages WHERE message_id = $1 ORDER BY seq LIMIT $2'),
  clearAll: sql('DELETE FROM outbox_messages'),
  clearSome: sql('DELETE FROM outbox_messages WHERE message_id = ANY($1::text[])'),
  update: sql('UPDATE outbox_messages SET delivery = $2, attempts = $3, last_error = $4, delivered_at = $5 WHERE id = $1'),
  census: sql<DeliveryCensus>(deliveryCensusSql('unnest($1::text[]) AS c(channel)', '$2')),
};
const s = statements;

export function outboxRepo(q: Queryable): OutboxRepo {
  return {
    async insert(m) {
      await s.insert.run(q, [
        m.id, m.messageId, m.channel, m.to, m.subject, m.body, m.link, m.contactId, m.accountId, m.createdAt,
        m.delivery, m.attempts, m.lastError, m.deliveredAt,
      ]);
    },
    async byId(id) {
      const r = await s.byId.one(q, [id]);
      return r && toOutbox(r);
    },
    async forAddress(to, limit) {
      return (await s.forAddress.all(q, [to, limit])).map(toOutbox);
    },
    async latest(limit) {
      return (await s.latest.all(q, [limit])).map(toOutbox);
    },
    async byMessageId(messageId, limit) {
      return (await s.byMessageId.all(q, [messageId, limit])).map(toOutbox);
    },
    async clear(messageIds) {
      return messageIds === null ? s.clearAll.run(q) : s.clearSome.run(q, [messageIds]);
    },
    async update(m) {
      await s.update.run(q, [m.id, m.delivery, m.attempts, m.lastError, m.deliveredAt]);
    },
    census: (channels, cap) => s.census.all(q, [channels, cap]),
    async failedAfter(after, limit) {
      return (await s.failedAfter.all(q, [after.createdAt, after.id, limit])).map(cursor);
    },
    async failedOfMessage(messageId, limit) {
      return (await s.failedOfMessage.all(q, [messageId, limit])).map(cursor);
    },
    async redrive(ids) {
      return (await s.redrive.all(q, [ids])).map((r) => r.id);
    },
  };
}
