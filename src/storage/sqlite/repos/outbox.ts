import type { Db } from '../db.js';
import { deliveryCensusSql, toOutbox as toRecord, type OutboxRow as Row } from '../../rows/outbox.js';
import type { DeliveryCensus } from '../../store.js';
import type { OutboxRepo } from '../../store.js';

/** Exported for the contract suite's plan checks: a bulk retry walks the failed deliveries' own index. */
export const statements = {
  census: deliveryCensusSql('(SELECT value AS channel FROM json_each(@channels)) AS c', '@cap'),
  failedAfter: `SELECT id, created_at FROM outbox_messages INDEXED BY outbox_messages_failed
     WHERE delivery = 'failed' AND created_at >= ? AND (created_at > ? OR id > ?) ORDER BY created_at, id LIMIT ?`,
  failedOfMessage: "SELECT id, created_at FROM outbox_messages WHERE message_id = ? AND delivery = 'failed' LIMIT ?",
  redrive: "UPDATE outbox_messages SET delivery = 'pending' WHERE id IN (SELECT value FROM json_each(?)) AND delivery = 'failed' RETURNING id",
};

type CursorRow = { id: string; created_at: number };
const cursor = (r: CursorRow) => ({ id: r.id, createdAt: r.created_at });

export function outboxRepo(db: Db): OutboxRepo {
  const failedAfter = db.prepare(statements.failedAfter);
  const failedOfMessage = db.prepare(statements.failedOfMessage);
  const redrive = db.prepare(statements.redrive);
  const insert = db.prepare(
    `INSERT INTO outbox_messages (id, message_id, channel, to_address, subject, body, link, contact_id, account_id, created_at,
       delivery, attempts, last_error, delivered_at)
     VALUES (@id, @messageId, @channel, @to, @subject, @body, @link, @contactId, @accountId, @createdAt, @delivery, @attempts,
       @lastError, @deliveredAt)`,
  );
  const byId = db.prepare('SELECT * FROM outbox_messages WHERE id = ?');
  // Any case of the address (the index is on lower(to_address)); rowid breaks ties between
  // messages recorded in the same millisecond.
  const forAddress = db.prepare('SELECT * FROM outbox_messages WHERE lower(to_address) = lower(?) ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const latest = db.prepare('SELECT * FROM outbox_messages ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const byMessageId = db.prepare('SELECT * FROM outbox_messages WHERE message_id = ? ORDER BY rowid LIMIT ?');
  const clearAll = db.prepare('DELETE FROM outbox_messages');
  // One statement per call: the list of IDs is bound as a JSON array, whatever its length.
  const clearSome = db.prepare('DELETE FROM outbox_messages WHERE message_id IN (SELECT value FROM json_each(?))');
  const update = db.prepare(
    'UPDATE outbox_messages SET delivery = @delivery, attempts = @attempts, last_error = @lastError, delivered_at = @deliveredAt WHERE id = @id',
  );
  const census = db.prepare(statements.census);
  return {
    async insert(m) {
      insert.run(m);
    },
    async byId(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async forAddress(to, limit) {
      return (forAddress.all(to, limit) as Row[]).map(toRecord);
    },
    async latest(limit) {
      return (latest.all(limit) as Row[]).map(toRecord);
    },
    async byMessageId(messageId, limit) {
      return (byMessageId.all(messageId, limit) as Row[]).map(toRecord);
    },
    async clear(messageIds) {
      return (messageIds === null ? clearAll.run() : clearSome.run(JSON.stringify(messageIds))).changes;
    },
    async update(m) {
      update.run(m);
    },
    async census(channels, cap) {
      return census.all({ channels: JSON.stringify(channels), cap }) as DeliveryCensus[];
    },
    async failedAfter(after, limit) {
      return (failedAfter.all(after.createdAt, after.createdAt, after.id, limit) as CursorRow[]).map(cursor);
    },
    async failedOfMessage(messageId, limit) {
      return (failedOfMessage.all(messageId, limit) as CursorRow[]).map(cursor);
    },
    async redrive(ids) {
      return (redrive.all(JSON.stringify(ids)) as Array<{ id: string }>).map((r) => r.id);
    },
  };
}
