import type { MessageType } from '../domain/contact-rules.js';
import { errors } from '../domain/errors.js';
import type { MessageCenterService } from './message-center.js';
import type { ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import type { OutboxService } from './outbox.js';

/**
 * Message routing (docs/reference/model.md section 5): a message for an account goes to the contacts of
 * its message center subscribed to the type, at their verified addresses only. The owner
 * has no address in rdmc, so it is not a delivery recipient.
 */
export class MessageService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly messageCenters: MessageCenterService,
    private readonly outbox: OutboxService,
  ) {}

  async route(p: { AccountId: string; MessageType: MessageType; Subject: string; Body: string }) {
    return this.deps.store.transaction(locks.outbox, async (tx) => {
      const account = await tx.accounts.byId(p.AccountId);
      if (!account) throw errors.accountNotExists();
      const messageId = this.deps.ids.messageId();
      const recipients: Array<{ Channel: 'email' | 'sms'; To: string; ContactId: string }> = [];
      for (const contact of await this.messageCenters.recipients(tx, account)) {
        if (!contact.MessageTypes.includes(p.MessageType)) continue;
        const targets = [
          ['email', contact.EmailAddress],
          ['sms', contact.PhoneNumber],
        ] as const;
        for (const [channel, to] of targets) {
          if (!to) continue;
          await this.outbox.record(tx, { messageId, channel, to, subject: p.Subject, body: p.Body, link: null, contactId: contact.ContactId, accountId: account.id });
          recipients.push({ Channel: channel, To: to, ContactId: contact.ContactId });
        }
      }
      return { MessageId: messageId, Recipients: recipients };
    });
  }
}
