import type { Channels } from '../channels/channel.js';
import { JOB_KINDS } from '../jobs/kinds.js';
import type { JobQueue } from '../jobs/queue.js';
import type { OutboxRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ServiceDeps } from './deps.js';
import { locks } from './locks.js';

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
    const messages = await this.deps.store.read((tx) =>
      filter.messageId !== undefined
        ? tx.outbox.byMessageId(filter.messageId, filter.limit)
        : filter.to !== undefined
          ? tx.outbox.forAddress(filter.to, filter.limit)
          : tx.outbox.latest(filter.limit),
    );
    const shown = filter.to === undefined ? messages : messages.filter((m) => m.to === filter.to);
    return { Messages: shown.map(view) };
  }

  /** Forgets the given messages (every copy), or the whole outbox; a pending delivery of one is dropped with it. */
  async clear(messageIds: string[] | null) {
    return { Cleared: await this.deps.store.transaction(locks.outbox, (tx) => tx.outbox.clear(messageIds)) };
  }
}

const view = (m: OutboxRecord) => ({
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
