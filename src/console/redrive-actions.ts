import type { Services } from '../services/index.js';

/**
 * The console's redrive buttons (docs/operations.md, Redrive): each POST path (below
 * /_rdmc/console) with the service call it makes and the page it answers with (a 303), which
 * says how many went back in the queue. The service's refusals (404, 409) become problem pages.
 * The ID patterns are the admin API's (src/admin/routes.ts); any other path is no console page.
 */
export type RedriveAction = (m: RegExpExecArray) => Promise<{ page: '/jobs' | '/outbox'; retried: number }>;

export function redriveActions(services: Services): Array<[RegExp, RedriveAction]> {
  const { redrive } = services;
  return [
    [/^\/jobs\/retry$/, async () => ({ page: '/jobs', retried: (await redrive.retryJobs({})).Retried })],
    [/^\/jobs\/([1-9]\d{0,14})\/retry$/, async (m) => (await redrive.retryJob(Number(m[1])), { page: '/jobs', retried: 1 })],
    [/^\/outbox\/retry$/, async () => ({ page: '/outbox', retried: (await redrive.retryDeliveries({})).Retried })],
    [/^\/outbox\/([A-Za-z0-9_.-]{1,128})\/retry$/, async (m) => (await redrive.retryDelivery(m[1]!), { page: '/outbox', retried: 1 })],
  ];
}

/** The `Retried` query of the page a button sends back to: a count, else nothing is shown. */
export function retriedNotice(q: URLSearchParams, what: 'job' | 'delivery'): string {
  const n = q.get('Retried');
  if (n === null || !/^\d{1,9}$/.test(n)) return '';
  const noun = n === '1' ? what : what === 'job' ? 'jobs' : 'deliveries';
  return `<p role="status">${n} ${noun} queued again.</p>`;
}
