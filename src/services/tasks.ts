import type { JobPayload } from '../jobs/kinds.js';
import type { EffectTask, TaskTable } from '../jobs/task.js';
import type { OutboxRecord } from '../storage/records.js';
import type { Services } from './index.js';
import { locks } from '../storage/locks.js';

/**
 * What runs each job kind: a service's own methods. Tasks hold no rule; the worker gives
 * them the job's payload, typed by its kind (src/jobs/kinds.ts), under the lock the rule
 * needs (src/storage/locks.ts).
 */
export function buildTasks(services: Services): TaskTable {
  const { fanOut, deletions, outbox } = services;
  const delivery: EffectTask<JobPayload<'delivery.send'>, OutboxRecord> = {
    lock: () => locks.outbox,
    prepare: (tx, p) => outbox.toDeliver(tx, p.outboxId),
    perform: (message) => outbox.deliver(message),
    record: (tx, message) => outbox.delivered(tx, message),
    failed: (tx, p, error, final) => outbox.deliveryFailed(tx, p.outboxId, error, final),
  };
  return {
    // Like every writer of the directory: a binding committed meanwhile on another node
    // must not be undone by a batch computed from the bindings before it.
    'message-center.sync': {
      lock: (p) => locks.directory(p.directoryId),
      run: (tx, p) => fanOut.runBatch(tx, p),
    },
    // The batch sees bindings and contacts hold still, and giving up does not write a
    // contact back over a verification confirmed meanwhile.
    'contact.delete': {
      lock: (p) => locks.directory(p.directoryId),
      run: (tx, p) => deletions.runBatch(tx, p),
      failed: async (tx, p, _error, final) => {
        if (final) await deletions.giveUp(tx, p);
      },
    },
    'delivery.send': delivery,
  };
}
