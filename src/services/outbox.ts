import type { Channels } from '../channels/channel.js';
import { ownErrors } from '../domain/errors.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';
import { JOB_KINDS } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { OutboxRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';

/** A filter value no message can match; refused rather than sent to a store that may not even take it (NUL on PostgreSQL). */
function checkFilter(name: 'To' | 'MessageId', value: string | undefined): void {
  if (value !== undefined && CONTROL_CHARACTERS.test(value)) {
    throw ownErrors.controlCharacters(name);
  }
}

export type NewMessage = Pick<OutboxRecord, 'channel' | 'to' | 'subject' | 'body' | 'link' | 'contactId' | 'accountId'> & {
  messageId?: string;
};

/**
 * The outbox: every message rdmc sends is recorded here first, in the transaction that
 * decided to send it, and a delivery job takes it to its channel. Without a configured
 * channel the message stays in the outbox only, which is what local users and tests read.
 */
export class OutboxService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly queue: JobQueue,
    private readonly channels: Channels,
  ) {}

  async record(tx: Tx, m: NewMessage): Promise<OutboxRecord> {
    const id = this.deps.ids.messageId();
    const message: OutboxRecord = {
      ...m,
      id,
      messageId: m.messageId ?? id,
      createdAt: this.deps.clock.now(),
      delivery: this.channels[m.channel] ? 'pending' : 'recorded',
      attempts: 0,
      lastError: null,
      deliveredAt: null,
    };
    await tx.outbox.insert(message);
    if (message.delivery === 'pending') await this.queue.enqueue(tx, JOB_KINDS.deliverMessage, { outboxId: id }, null);
    return message;
  }

  /**
   * The admin read, newest first: what was sent to one address, every copy of one message
   * (the MessageId `POST /_rdmc/messages` answers with), or the whole outbox.
   */
  async list(filter: { to?: string; messageId?: string; limit: number }) {
    checkFilter('To', filter.to);
    checkFilter('MessageId', filter.messageId);
    const messages = await this.deps.store.read((tx) =>
      filter.messageId !== undefined
        ? tx.outbox.byMessageId(filter.messageId, filter.limit)
        : filter.to !== undefined
          ? tx.outbox.forAddress(filter.to, filter.limit)
          : tx.outbox.latest(filter.limit),
    );
    // An address in any case, as the send limits count it.
    const to = filter.to?.toLowerCase();
    const shown = to === undefined ? messages : messages.filter((m) => m.to.toLowerCase() === to);
    return { Messages: shown.map(outboxView) };
  }

  // Delivery (the job recording enqueues): a message already sent is skipped, so a job run
  // twice sends once; the only window for a duplicate is a crash between the far side's
  // acceptance and the record, which the channels label with the outbox ID.

  /** The message a delivery job is to send; null when it is gone or sent already. */
  async toDeliver(tx: Tx, outboxId: string): Promise<OutboxRecord | null> {
    const message = await tx.outbox.byId(outboxId);
    return message && message.delivery === 'pending' ? message : null;
  }

  /** Hands the message to its channel, outside any transaction. */
  async deliver(message: OutboxRecord): Promise<void> {
    const channel = this.channels[message.channel];
    if (!channel) throw new Error(`no ${message.channel} channel is configured`);
    await channel.send(message);
  }

  async delivered(tx: Tx, message: OutboxRecord): Promise<void> {
    const current = (await tx.outbox.byId(message.id)) ?? message;
    await tx.outbox.update({ ...current, delivery: 'sent', attempts: current.attempts + 1, lastError: null, deliveredAt: this.deps.clock.now() });
  }

  /** A failed attempt, counted on the message; `final`: no more attempts, the message reads failed. */
  async deliveryFailed(tx: Tx, outboxId: string, error: string, final: boolean): Promise<void> {
    const current = await tx.outbox.byId(outboxId);
    if (!current) return;
    await tx.outbox.update({ ...current, attempts: current.attempts + 1, lastError: error, delivery: final ? 'failed' : current.delivery });
  }

  /** Forgets the given messages (every copy), or the whole outbox; a pending delivery of one is dropped with it. */
  async clear(messageIds: string[] | null) {
    messageIds?.forEach((id) => checkFilter('MessageId', id));
    return { Cleared: await this.deps.store.transaction(locks.outbox, (tx) => tx.outbox.clear(messageIds)) };
  }
}

/** A delivery as the admin API and the console show it; `DeliveryId` is what `POST /_rdmc/outbox/{DeliveryId}/retry` takes. */
export const outboxView = (m: OutboxRecord) => ({
  DeliveryId: m.id,
  MessageId: m.messageId,
  Channel: m.channel,
  To: m.to,
  Subject: m.subject,
  Body: m.body,
  Link: m.link ?? '',
  ContactId: m.contactId ?? '',
  AccountId: m.accountId ?? '',
  CreatedAt: new Date(m.createdAt).toISOString(),
  Delivery: m.delivery,
  Attempts: m.attempts,
  LastError: m.lastError ?? '',
});
