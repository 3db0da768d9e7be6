import type { Db } from '../db.js';
import type { OutboxRecord } from '../../records.js';
import type { OutboxRepo } from '../../store.js';

interface Row {
  id: string;
  message_id: string;
  channel: OutboxRecord['channel'];
  to_address: string;
  subject: string;
  body: string;
  link: string | null;
  contact_id: string | null;
  account_id: string | null;
  created_at: number;
  delivery: OutboxRecord['delivery'];
  attempts: number;
  last_error: string | null;
  delivered_at: number | null;
}

const toRecord = (r: Row): OutboxRecord => ({
  id: r.id,
  messageId: r.message_id,
  channel: r.channel,
  to: r.to_address,
  subject: r.subject,
  body: r.body,
  link: r.link,
  contactId: r.contact_id,
  accountId: r.account_id,
  createdAt: r.created_at,
  delivery: r.delivery,
  attempts: r.attempts,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
});

export function outboxRepo(db: Db): OutboxRepo {
  const insert = db.prepare(
    `INSERT INTO outbox_messages (id, message_id, channel, to_address, subject, body, link, contact_id, account_id, created_at,
       delivery, attempts, last_error, delivered_at)
     VALUES (@id, @messageId, @channel, @to, @subject, @body, @link, @contactId, @accountId, @createdAt, @delivery, @attempts,
       @lastError, @deliveredAt)`,
  );
  const byId = db.prepare('SELECT * FROM outbox_messages WHERE id = ?');
  // rowid breaks ties between messages recorded in the same millisecond.
  const forAddress = db.prepare('SELECT * FROM outbox_messages WHERE to_address = ? ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const update = db.prepare(
    'UPDATE outbox_messages SET delivery = @delivery, attempts = @attempts, last_error = @lastError, delivered_at = @deliveredAt WHERE id = @id',
  );
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
    async update(m) {
      update.run(m);
    },
  };
}
