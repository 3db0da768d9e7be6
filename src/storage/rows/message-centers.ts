import type { MessageType } from '../../domain/contact-rules.js';
import type { MessageCenterEntry } from '../records.js';

/** A `message_center_entries` row as both dialects return it. */
export interface MessageCenterRow {
  account_id: string;
  contact_id: string;
  source: MessageCenterEntry['source'];
  /** JSON text. */
  via: string;
  retained_name: string | null;
  retained_email: string | null;
  retained_phone: string | null;
  retained_message_types: string | null;
}

export const toEntry = (r: MessageCenterRow): MessageCenterEntry => ({
  accountId: r.account_id,
  contactId: r.contact_id,
  source: r.source,
  via: JSON.parse(r.via) as string[],
  retained:
    r.retained_name === null
      ? null
      : {
          name: r.retained_name,
          email: r.retained_email ?? '',
          phone: r.retained_phone ?? '',
          messageTypes: JSON.parse(r.retained_message_types ?? '[]') as MessageType[],
        },
});

/** An entry's column values for writing: `via` and the retained types as JSON text. */
export const entryColumns = (e: MessageCenterEntry) => ({
  accountId: e.accountId,
  contactId: e.contactId,
  source: e.source,
  via: JSON.stringify(e.via),
  name: e.retained?.name ?? null,
  email: e.retained?.email ?? null,
  phone: e.retained?.phone ?? null,
  messageTypes: e.retained ? JSON.stringify(e.retained.messageTypes) : null,
});

/** An owner's subscriptions as stored: JSON text. */
export const toOwnerTypes = (messageTypes: string): MessageType[] => JSON.parse(messageTypes) as MessageType[];
