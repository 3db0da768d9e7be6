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

/**
 * One row per channel of `channels` (a row source aliased `c`, with a `channel` column): its
 * messages still to deliver and those failed for good, each count a walk of
 * outbox_messages_delivery that stops at `cap`.
 */
export const deliveryCensusSql = (channels: string, cap: string) => {
  const count = (delivery: string) => `(SELECT count(*) FROM (SELECT 1 FROM outbox_messages WHERE delivery = '${delivery}' AND channel = c.channel LIMIT ${cap}) AS n)`;
  return `SELECT c.channel AS channel, ${count('pending')} AS pending, ${count('failed')} AS failed FROM ${channels}`;
};
