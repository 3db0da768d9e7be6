import type { Channel as ChannelName, OutboxRecord } from '../storage/records.js';

/** A way out of rdmc. `send` resolves once the far side accepted the message and throws otherwise. */
export interface DeliveryChannel {
  send(message: OutboxRecord): Promise<void>;
  close(): Promise<void>;
}

/** The channels this process is configured with; a missing one leaves its messages in the outbox only. */
export type Channels = Partial<Record<ChannelName, DeliveryChannel>>;
