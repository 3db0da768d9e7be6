import { createTestDatabase, postgresReachable } from '../../test/helpers/database.js';
import type { BenchConfig } from '../config.js';
import type { LoadGenerator } from '../load/driver.js';
import type { ScenarioResult } from '../load/generator.js';
import type { Workload } from '../load/workloads.js';
import { launch } from '../targets/launch.js';
import { rssBytes } from '../targets/process.js';
import { BENCH_KEY, rdmcSpec } from '../targets/rdmc.js';
import { addContact, admin, adminRaw, call, callRaw, timed } from './rdmc-client.js';

export type StoreName = 'sqlite' | 'postgres';

export interface AsyncRun {
  /** The API call that starts the work (answers at once: jobs are held). */
  apiMs: number;
  /** POST /_rdmc/jobs/run: releases the held jobs and runs them to completion. */
  jobsMs: number;
  totalMs: number;
}

/** One directory size on one store, on a server of its own. */
export interface ScaleRow {
  store: StoreName;
  accounts: number;
  /** POST /_rdmc/seed of every member at once. */
  seedMs: number;
  list: ScenarioResult;
  /** null when POST /_rdmc/messages is not there (404). */
  route: ScenarioResult | null;
  fanOut: AsyncRun;
  /** GetMessageContact, 1 in flight, while the fan-out's jobs run: what a caller waits for. */
  getDuringFanOut: ScenarioResult;
  deletion: AsyncRun;
  memory: { afterStartBytes: number | null; afterFanOutBytes: number | null };
}

export interface ScaleResults {
  rows: ScaleRow[];
  routingSkipped: string | null;
  postgresSkipped: string | null;
}

const ROUTED_TYPE = 'AccountExpenses';
// Accounts the routing load rotates through, spread over the whole directory.
const ROUTING_SAMPLE = 500;

function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

/** True when POST /_rdmc/messages exists on this build. */
async function routingAvailable(url: string, accountId: string): Promise<boolean> {
  const res = await adminRaw(url, 'POST', '/messages', { AccountId: accountId, MessageType: ROUTED_TYPE, Subject: 'probe', Body: 'probe' });
  return res.status !== 404;
}

async function centerHas(url: string, accountId: string, contactId: string): Promise<boolean> {
  const center = await admin(url, 'GET', `/accounts/${accountId}/message-center`);
  return (center.Contacts as Array<{ ContactId: string }>).some((c) => c.ContactId === contactId);
}

/**
 * How a directory of each size behaves on each store: the seed, a Root binding fanned out
 * to every member (with GetMessageContact timed while it runs), and an asynchronous
 * deletion back out of every member; list and routing times at that size (they should
 * not grow with it). Jobs are held (`manual`) so the API call and the jobs are timed apart.
 */
export async function runScale(gen: LoadGenerator, config: BenchConfig): Promise<ScaleResults> {
  const rows: ScaleRow[] = [];
  let routingSkipped: string | null = null;
  const postgres = await postgresReachable();
  for (const store of ['sqlite', 'postgres'] as const) {
    if (store === 'postgres' && !postgres) continue;
    for (const accounts of config.scaleSizes) {
      const database = store === 'postgres' ? await createTestDatabase('postgres') : null;
      try {
        const row = await scaleOnce(gen, config, store, accounts, database?.db, routingSkipped === null);
        if (!row.route) routingSkipped = 'skipped: message routing not available';
        rows.push(row);
      } finally {
        await database?.drop();
      }
    }
  }
  return { rows, routingSkipped, postgresSkipped: postgres ? null : 'no PostgreSQL reachable at 127.0.0.1:5432' };
}

async function scaleOnce(gen: LoadGenerator, config: BenchConfig, store: StoreName, accounts: number, db: string | undefined, tryRouting: boolean): Promise<ScaleRow> {
  const rdmc = await rdmcSpec({ asyncMode: 'manual', db });
  const { target } = await launch(rdmc.spec);
  try {
    const url = target.url;
    const afterStartBytes = await rssBytes(target.pid);
    const rootId = (await call(url, 'GetResourceDirectory')).ResourceDirectory.RootFolderId as string;
    // A realistic directory: a handful of contacts, some bound to the Root (so every new
    // member's message center gets them) and some not.
    for (let i = 0; i < 8; i++) {
      const contactId = await addContact(url, `Scale${String.fromCharCode(97 + i)}`, [ROUTED_TYPE, 'FaultMessage']);
      if (i < 3) await call(url, 'AssociateMembers', { ContactId: contactId, Members: [rootId] });
    }
    await admin(url, 'POST', '/jobs/run');
    const seeded = await timed(() => admin(url, 'POST', '/seed', { Accounts: accounts }));
    const accountIds = seeded.value.AccountIds as string[];
    console.log(`scale ${store}: ${accounts} accounts seeded in ${seeded.ms.toFixed(0)} ms`);

    const sample = (workload: Workload) =>
      gen.run({ url, workload, inFlight: 1, warmupMs: config.warmupSeconds * 1000, durationMs: config.scaleSeconds * 1000 });
    const list = await sample({ kind: 'rdmc-v3', key: BENCH_KEY, action: 'ListMessageContacts', params: { PageNumber: '1', PageSize: '20' } });
    const route =
      tryRouting && (await routingAvailable(url, accountIds[0]!))
        ? await sample({ kind: 'route-message', accountIds: spread(accountIds, ROUTING_SAMPLE), messageType: ROUTED_TYPE })
        : null;

    // The last member seeded is as far from the start of the fan-out as any.
    const last = accountIds.at(-1)!;
    const contactId = await addContact(url, 'Fanout');
    const api = await timed(() => call(url, 'AssociateMembers', { ContactId: contactId, Members: [rootId] }));
    const get: Workload = { kind: 'rdmc-v3', key: BENCH_KEY, action: 'GetMessageContact', params: { ContactId: contactId } };
    const during = await gen.during({ url, workload: get, inFlight: 1, warmupMs: 0, durationMs: 600_000 }, () => timed(() => admin(url, 'POST', '/jobs/run')));
    if (!(await centerHas(url, last, contactId))) throw new Error('fan-out finished but the last member does not list the contact');
    const fanOut: AsyncRun = { apiMs: api.ms, jobsMs: during.value.ms, totalMs: api.ms + during.value.ms };
    const afterFanOutBytes = await rssBytes(target.pid);
    const p99 = during.load.latencyMs.p99;
    console.log(`  fan-out of a Root binding: ${fanOut.totalMs.toFixed(0)} ms; GetMessageContact meanwhile p99 ${p99.toFixed(1)} ms over ${during.load.operations} requests`);

    const deletion = await timeDeletion(url, contactId, last);
    console.log(`  asynchronous deletion: ${deletion.totalMs.toFixed(0)} ms`);
    return { store, accounts, seedMs: seeded.ms, list, route, fanOut, getDuringFanOut: during.load, deletion, memory: { afterStartBytes, afterFanOutBytes } };
  } finally {
    await target.stop();
    await rdmc.cleanup();
  }
}

async function timeDeletion(url: string, contactId: string, probeAccount: string): Promise<AsyncRun> {
  const api = await timed(() => call(url, 'DeleteMessageContact', { ContactId: contactId, RetainContactInMembers: 'false' }));
  const jobs = await timed(() => admin(url, 'POST', '/jobs/run'));
  const status = await callRaw(url, 'GetMessageContactDeletionStatus', { ContactId: contactId });
  if (status.status !== 404 || !status.body.includes('EntityNotExists.Contact')) {
    throw new Error(`deletion did not complete: GetMessageContactDeletionStatus answered ${status.status} ${status.body.slice(0, 200)}`);
  }
  if (await centerHas(url, probeAccount, contactId)) throw new Error('deleted contact still in a member message center');
  return { apiMs: api.ms, jobsMs: jobs.ms, totalMs: api.ms + jobs.ms };
}
