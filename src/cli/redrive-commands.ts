import { REDRIVABLE_KINDS } from '../jobs/kinds.js';
import { adminRequest, adminTarget } from './admin-client.js';
import { UsageError } from './call.js';
import { parse, TARGET_FLAGS } from './state-commands.js';

export const JOBS_USAGE = `usage: rdmc jobs retry [JOB_ID] [--kind KIND] [--failed-since TIME] [--failed-before TIME]
                      [--endpoint URL] [--admin-token TOKEN]

Puts jobs that failed for good back in the queue with a fresh attempt budget; what they
spent before (PriorAttempts, Redrives, FailedAt, LastError) stays on the job. A delivery
job's outbox message goes back to pending with it, unless it was sent meanwhile.

  JOB_ID               One job, as GET /_rdmc/jobs lists it; exit 1 with the reason when it
                       is not a failed ${REDRIVABLE_KINDS.join(' or ')} job.
  --kind KIND          Without JOB_ID: only jobs of this kind (${REDRIVABLE_KINDS.join(', ')}); default both.
  --failed-since TIME  Without JOB_ID: only jobs that failed at TIME or later (ISO 8601 with a
                       zone, e.g. 2026-12-07T00:00:00Z).
  --failed-before TIME Without JOB_ID: only jobs that failed at TIME or earlier.
${TARGET_FLAGS}`;

export const OUTBOX_USAGE = `usage: rdmc outbox retry [DELIVERY_ID] [--message-id ID] [--endpoint URL] [--admin-token TOKEN]

Sends deliveries that failed for good again: each goes back to pending with a fresh attempt
budget for its job; its Attempts and LastError stay on the message until the next attempt.

  DELIVERY_ID      One delivery, as GET /_rdmc/outbox lists it; exit 1 with the reason when it
                   did not fail.
  --message-id ID  Without DELIVERY_ID: the failed copies of one message. Neither: every
                   failed delivery.
${TARGET_FLAGS}`;

/** `retry` and at most one ID: the commands have the one subcommand for now. */
function retryArgs(positionals: string[], what: string): string | undefined {
  const [sub, id, ...more] = positionals;
  if (sub !== 'retry') throw new UsageError(`expected "retry", got ${sub === undefined ? 'nothing' : `"${sub}"`}`);
  if (more.length > 0) throw new UsageError(`expected one ${what} at most, got ${more.length + 1}`);
  return id;
}

export async function jobs(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(argv, 'jobs', { kind: { type: 'string' }, 'failed-since': { type: 'string' }, 'failed-before': { type: 'string' } });
  const id = retryArgs(positionals, 'JOB_ID');
  const filters = values as { kind?: string; 'failed-since'?: string; 'failed-before'?: string };
  const target = adminTarget(values, env);
  if (id !== undefined) {
    if (filters.kind ?? filters['failed-since'] ?? filters['failed-before']) throw new UsageError('a JOB_ID takes no --kind, --failed-since or --failed-before');
    const { Job } = (await (await adminRequest(target, 'POST', `/jobs/${encodeURIComponent(id)}/retry`)).json()) as { Job: { JobId: number; Redrives: number; PriorAttempts: number } };
    console.log(`rdmc jobs retry: job ${Job.JobId} queued again (retries: ${Job.Redrives}, attempts before: ${Job.PriorAttempts})`);
    return;
  }
  const body = { Kind: filters.kind, FailedSince: filters['failed-since'], FailedBefore: filters['failed-before'] };
  const { Retried } = (await (await adminRequest(target, 'POST', '/jobs/retry', body)).json()) as { Retried: number };
  console.log(`rdmc jobs retry: ${Retried} failed job${Retried === 1 ? '' : 's'} queued again`);
}

export async function outbox(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(argv, 'outbox', { 'message-id': { type: 'string' } });
  const id = retryArgs(positionals, 'DELIVERY_ID');
  const messageId = (values as { 'message-id'?: string })['message-id'];
  const target = adminTarget(values, env);
  if (id !== undefined) {
    if (messageId !== undefined) throw new UsageError('a DELIVERY_ID takes no --message-id');
    const { Message } = (await (await adminRequest(target, 'POST', `/outbox/${encodeURIComponent(id)}/retry`)).json()) as { Message: { DeliveryId: string; To: string } };
    console.log(`rdmc outbox retry: delivery ${Message.DeliveryId} to ${Message.To} queued again`);
    return;
  }
  const { Retried } = (await (await adminRequest(target, 'POST', '/outbox/retry', { MessageId: messageId })).json()) as { Retried: number };
  console.log(`rdmc outbox retry: ${Retried} failed deliver${Retried === 1 ? 'y' : 'ies'} queued again`);
}
