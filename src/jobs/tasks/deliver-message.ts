import type { Channels } from '../../channels/channel.js';
import type { OutboxRecord } from '../../storage/records.js';
import type { EffectTask } from '../task.js';

/**
 * Sends one outbox message through its channel. A message already sent is skipped, so a
 * job run twice sends once; the only window for a duplicate is a crash between the far
 * side's acceptance and the record, which the channels label with the outbox ID.
 */
export function deliverMessage(channels: Channels, clock: { now(): number }): EffectTask<OutboxRecord> {
  return {
    async prepare(tx, job) {
      const message = await tx.outbox.byId(String(job.payload.outboxId));
      return message && message.delivery === 'pending' ? message : null;
    },
    async perform(message) {
      const channel = channels[message.channel];
      if (!channel) throw new Error(`no ${message.channel} channel is configured`);
      await channel.send(message);
    },
    async record(tx, message) {
      const current = (await tx.outbox.byId(message.id)) ?? message;
      await tx.outbox.update({ ...current, delivery: 'sent', attempts: current.attempts + 1, lastError: null, deliveredAt: clock.now() });
    },
    async failed(tx, job, error, final) {
      const current = await tx.outbox.byId(String(job.payload.outboxId));
      if (!current) return;
      await tx.outbox.update({ ...current, attempts: current.attempts + 1, lastError: error, delivery: final ? 'failed' : current.delivery });
    },
  };
}
