import type { OutboxRecord } from '../records.js';

/** An `outbox_messages` row as both dialects return it. */
export interface OutboxRow {
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

export const toOutbox = (r: OutboxRow): OutboxRecord => ({
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
