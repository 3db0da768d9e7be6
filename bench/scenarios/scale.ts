import type { BenchConfig } from '../config.js';
import type { LoadGenerator } from '../load/driver.js';
import type { ScenarioResult } from '../load/generator.js';
import type { Workload } from '../load/workloads.js';
import { launch } from '../targets/launch.js';
import { BENCH_KEY, rdmcSpec } from '../targets/rdmc.js';
import { addContact, admin, adminRaw, call, callRaw, timed } from './rdmc-client.js';

export interface ScaleRow {
  accounts: number;
  list: ScenarioResult;
  /** null when POST /_rdmc/messages is not there (404). */
  route: ScenarioResult | null;
}

export interface AsyncRun {
  accounts: number;
  /** The API call that starts the work (answers at once: jobs are held). */
  apiMs: number;
  /** POST /_rdmc/jobs/run: releases the held jobs and runs them to completion. */
  jobsMs: number;
  totalMs: number;
}

export interface ScaleResults {
  rows: ScaleRow[];
  routingSkipped: string | null;
  fanOut: AsyncRun | null;
  deletion: AsyncRun | null;
}

const ROUTED_TYPE = 'AccountExpenses';
// Accounts the routing load rotates through, spread over the whole directory.
const ROUTING_SAMPLE = 500;

function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

/** True when POST /_rdmc/messages exists on this build (it is being built on main). */
async function routingAvailable(url: string, accountId: string): Promise<boolean> {
  const res = await adminRaw(url, 'POST', '/messages', { AccountId: accountId, MessageType: ROUTED_TYPE, Subject: 'probe', Body: 'probe' });
  return res.status !== 404;
}

/**
 * How list and routing times grow with the directory (they should not), and how long a
 * Root binding and an asynchronous deletion take to reach every member at the largest size.
 * Jobs are held (`manual`) so the API call and the fan-out are timed apart.
 */
export async function runScale(gen: LoadGenerator, config: BenchConfig): Promise<ScaleResults> {
  const rdmc = await rdmcSpec({ asyncMode: 'manual' });
  const { target } = await launch(rdmc.spec);
  try {
    const url = target.url;
    const rootId = (await call(url, 'GetResourceDirectory')).ResourceDirectory.RootFolderId as string;
    // A realistic directory: a handful of contacts, some bound to the Root (so every new
    // member's message center gets them) and some not.
    for (let i = 0; i < 8; i++) {
      const contactId = await addContact(url, `Scale${String.fromCharCode(97 + i)}`, [ROUTED_TYPE, 'FaultMessage']);
      if (i < 3) await call(url, 'AssociateMembers', { ContactId: contactId, Members: [rootId] });
    }
    await admin(url, 'POST', '/jobs/run');

    const accountIds: string[] = [];
    const rows: ScaleRow[] = [];
    let routingSkipped: string | null = null;
    const sample = (workload: Workload) =>
      gen.run({ url, workload, inFlight: 1, warmupMs: config.warmupSeconds * 1000, durationMs: config.scaleSeconds * 1000 });
    for (const size of config.scaleSizes) {
      const seeded = await timed(() => admin(url, 'POST', '/seed', { Accounts: size - accountIds.length }));
      accountIds.push(...(seeded.value.AccountIds as string[]));
      // Seeding ran in manual mode too: settle any message-center work it left before timing.
      await admin(url, 'POST', '/jobs/run');
      console.log(`scale: ${size} accounts (seeded in ${seeded.ms.toFixed(0)} ms)`);
      const list = await sample({ kind: 'rdmc-v3', key: BENCH_KEY, action: 'ListMessageContacts', params: { PageNumber: '1', PageSize: '20' } });
      let route: ScenarioResult | null = null;
      if (routingSkipped === null && (await routingAvailable(url, accountIds[0]!))) {
        route = await sample({ kind: 'route-message', accountIds: spread(accountIds, ROUTING_SAMPLE), messageType: ROUTED_TYPE });
      } else {
        routingSkipped = 'skipped: message routing not available';
      }
      console.log(`  ListMessageContacts p50 ${list.latencyMs.p50.toFixed(3)} ms; routing ${route ? `p50 ${route.latencyMs.p50.toFixed(3)} ms` : routingSkipped}`);
      rows.push({ accounts: size, list, route });
    }
    const accounts = accountIds.length;
    const fanOut = await timeFanOut(url, rootId, accounts, accountIds.at(-1)!);
    const deletion = await timeDeletion(url, fanOut.contactId, accounts, accountIds.at(-1)!);
    return { rows, routingSkipped, fanOut: fanOut.run, deletion };
  } finally {
    await target.stop();
    await rdmc.cleanup();
  }
}

async function centerHas(url: string, accountId: string, contactId: string): Promise<boolean> {
  const center = await admin(url, 'GET', `/accounts/${accountId}/message-center`);
  return (center.Contacts as Array<{ ContactId: string }>).some((c) => c.ContactId === contactId);
}

async function timeFanOut(url: string, rootId: string, accounts: number, probeAccount: string) {
  const contactId = await addContact(url, 'Fanout');
  const api = await timed(() => call(url, 'AssociateMembers', { ContactId: contactId, Members: [rootId] }));
  const jobs = await timed(() => admin(url, 'POST', '/jobs/run'));
  // The last member seeded is as far from the start of the fan-out as any.
  if (!(await centerHas(url, probeAccount, contactId))) throw new Error('fan-out finished but the last member does not list the contact');
  const run: AsyncRun = { accounts, apiMs: api.ms, jobsMs: jobs.ms, totalMs: api.ms + jobs.ms };
  console.log(`  fan-out of a Root binding to ${accounts} accounts: ${run.totalMs.toFixed(0)} ms`);
  return { contactId, run };
}

async function timeDeletion(url: string, contactId: string, accounts: number, probeAccount: string): Promise<AsyncRun> {
  const api = await timed(() => call(url, 'DeleteMessageContact', { ContactId: contactId, RetainContactInMembers: 'false' }));
  const jobs = await timed(() => admin(url, 'POST', '/jobs/run'));
  const status = await callRaw(url, 'GetMessageContactDeletionStatus', { ContactId: contactId });
  if (status.status !== 404 || !status.body.includes('EntityNotExists.Contact')) {
    throw new Error(`deletion did not complete: GetMessageContactDeletionStatus answered ${status.status} ${status.body.slice(0, 200)}`);
  }
  if (await centerHas(url, probeAccount, contactId)) throw new Error('deleted contact still in a member message center');
  const run: AsyncRun = { accounts, apiMs: api.ms, jobsMs: jobs.ms, totalMs: api.ms + jobs.ms };
  console.log(`  asynchronous deletion over ${accounts} accounts: ${run.totalMs.toFixed(0)} ms`);
  return run;
}
