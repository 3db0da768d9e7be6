import { createTestDatabase, postgresReachable } from '../../test/helpers/database.js';
import type { BenchConfig } from '../config.js';
import { expectOk, send } from '../load/http.js';
import { signedV3, type Params } from '../load/requests.js';
import { summarize, type LatencySummary } from '../load/stats.js';
import { launch } from '../targets/launch.js';
import { BENCH_KEY, rdmcSpec } from '../targets/rdmc.js';
import { admin, call, timed } from './rdmc-client.js';
import type { StoreName } from './scale.js';

/** The tenant whose requests are timed while the heavy tenant (BENCH_KEY) works. */
const NEIGHBOUR = { accessKeyId: 'neighbourKey', accessKeySecret: 'neighbourSecret', accountId: '6543210987654321' };

/** Tags on every member and folder of the heavy tenant, and conditions in its worst filters: the most either may have. */
const TAGS = 20;
/** Folders under the heavy tenant's Root: the default folder quota. */
const FOLDERS = 1_000;
/**
 * The heavy tenant's worst requests in flight at once: more than RDMC_TENANT_LIST_CONCURRENCY
 * lets run, and on PostgreSQL more than the pool's 10 connections (finding 1's twelve).
 */
const HEAVY_IN_FLIGHT: Record<StoreName, number> = { sqlite: 4, postgres: 12 };

const tagPairs = (values: boolean, prefix = 'k'): Params =>
  Object.fromEntries(
    Array.from({ length: TAGS }, (_, i) => [[`Tag.${i + 1}.Key`, `${prefix}${i}`], ...(values ? [[`Tag.${i + 1}.Value`, `v${i}`]] : [])]).flat(),
  );

/**
 * The worst legal request of each list action against a directory where every member and
 * folder carries the same 20 tags: every condition holds for every one, so nothing narrows the
 * work, and the page asked for (the last PageNumber every rdmc version accepts) is past the end.
 */
const WORST = (rootId: string): Array<{ name: string; action: string; params: Params }> => [
  { name: 'ListAccounts, QueryKeyword matching nothing', action: 'ListAccounts', params: { QueryKeyword: 'zzzz', PageSize: '100' } },
  { name: 'ListAccounts, 20 tag conditions, keyword, page 999,999,999', action: 'ListAccounts', params: { ...tagPairs(true), QueryKeyword: 'aliyunid', PageNumber: '999999999', PageSize: '100' } },
  { name: 'ListAccounts by token, 20 tag conditions', action: 'ListAccounts', params: { ...tagPairs(true), MaxResults: '100' } },
  { name: 'ListAccountsForParent (Root), 20 tag conditions, keyword, page 999,999,999', action: 'ListAccountsForParent', params: { ...tagPairs(true), ParentFolderId: rootId, QueryKeyword: 'aliyunid', PageNumber: '999999999', PageSize: '100' } },
  { name: 'ListFoldersForParent (Root), 20 tag conditions, page 999,999,999', action: 'ListFoldersForParent', params: { ...tagPairs(true), ParentFolderId: rootId, QueryKeyword: 'f', PageNumber: '999999999', PageSize: '100' } },
  { name: 'ListTagResources, 20 keys no tag has', action: 'ListTagResources', params: { ...tagPairs(false, 'absent'), ResourceType: 'Account', MaxResults: '100' } },
];

export interface NeighbourRow {
  store: StoreName;
  /** The heavy tenant's request, or null for the quiet baseline. */
  heavy: string | null;
  /** The heavy requests' own latency and answers (503s: cut at the request deadline). */
  heavyLatencyMs: LatencySummary | null;
  heavyRequests: number;
  heavyNotOk: Record<string, number>;
  /** The neighbour's GetMessageContact, 1 in flight, meanwhile: every request, the last one that was waiting when the heavy load ended included. */
  neighbour: { operations: number; latencyMs: LatencySummary; notOk: Record<string, number> };
}

export interface NeighbourResults {
  accounts: Record<StoreName, number>;
  seconds: number;
  rows: NeighbourRow[];
  postgresSkipped: string | null;
}

/** Runs `action` as the heavy tenant, `inFlight` at a time, until `seconds` have passed; waits for those in flight. */
async function heavyLoad(url: string, action: string, params: Params, seconds: number, inFlight: number) {
  const base = new URL(url);
  const samples: number[] = [];
  const notOk: Record<string, number> = {};
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const res = await send(base, signedV3(base.host, BENCH_KEY, action, params));
      samples.push(performance.now() - started);
      if (res.status !== 200) notOk[res.status] = (notOk[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { latency: summarize(samples), requests: samples.length, notOk };
}

/**
 * The neighbour's GetMessageContact, one after another, until `stop` resolves and the request
 * then in flight has its answer: a request held up by the heavy load counts with its whole
 * wait (a load generator that ends its measured phase on time would drop exactly that one).
 */
async function neighbourLoad(url: string, contactId: string, stop: Promise<unknown>) {
  const base = new URL(url);
  let stopped = false;
  void stop.finally(() => (stopped = true));
  const samples: number[] = [];
  const notOk: Record<string, number> = {};
  while (!stopped) {
    const started = performance.now();
    const res = await send(base, signedV3(base.host, NEIGHBOUR, 'GetMessageContact', { ContactId: contactId }));
    samples.push(performance.now() - started);
    // A stalled server may time the request out itself (408: it could not read it in time).
    if (res.status !== 200) notOk[res.status] = (notOk[res.status] ?? 0) + 1;
  }
  return { operations: samples.length, latencyMs: summarize(samples), notOk };
}

/** Sends `count` calls, `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, one: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await one(next++);
  }));
}

/** The heavy tenant's directory: `accounts` members and FOLDERS folders under the Root, each with the same 20 tags. */
async function seedHeavyTenant(url: string, accounts: number): Promise<string> {
  const rootId = (await call(url, 'GetResourceDirectory')).ResourceDirectory.RootFolderId as string;
  const ids = (await admin(url, 'POST', '/seed', { Accounts: accounts })).AccountIds as string[];
  const tagged = (type: string, list: string[]) =>
    inParallel(Math.ceil(list.length / 50), 2, (i) => call(url, 'TagResources', { ResourceType: type, ResourceId: list.slice(i * 50, i * 50 + 50), ...tagPairs(true) }));
  await tagged('Account', ids);
  const folders: string[] = [];
  await inParallel(FOLDERS, 2, async (i) => folders.push((await call(url, 'CreateFolder', { FolderName: `f${i}`, ParentFolderId: rootId })).Folder.FolderId));
  await tagged('Folder', folders);
  return rootId;
}

/**
 * One tenant's worst legal list requests against another tenant's latency: a heavy tenant
 * (BENCH_KEY) with a large, fully tagged directory keeps HEAVY_IN_FLIGHT of one worst
 * request in flight while the neighbour's GetMessageContact runs at 1 in flight; first a
 * quiet baseline. Both loads run from this process, one request at a time per slot. The target: the neighbour's p99 under 100 ms whatever the heavy tenant runs.
 */
export async function runNeighbours(config: BenchConfig): Promise<NeighbourResults> {
  const rows: NeighbourRow[] = [];
  const postgres = await postgresReachable();
  for (const store of config.neighbourStores) {
    if (store === 'postgres' && !postgres) continue;
    const database = store === 'postgres' ? await createTestDatabase('postgres') : null;
    const rdmc = await rdmcSpec({ asyncMode: 'immediate', db: database?.db, otherKeys: [NEIGHBOUR] });
    const { target } = await launch(rdmc.spec);
    try {
      const url = target.url;
      const seeded = await timed(() => seedHeavyTenant(url, config.neighbourAccounts[store]));
      console.log(`neighbours ${store}: ${config.neighbourAccounts[store]} accounts and ${FOLDERS} folders with ${TAGS} tags each in ${(seeded.ms / 1000).toFixed(1)} s`);
      const base = new URL(url);
      const asNeighbour = async (action: string, params: Params = {}) => expectOk(await send(base, signedV3(base.host, NEIGHBOUR, action, params)), action);
      await asNeighbour('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
      const contact = await asNeighbour('AddMessageContact', { Name: 'Neighbour', EmailAddress: 'n@example.com', Title: 'CEO', MessageTypes: ['AccountExpenses'] });
      const contactId = contact.Contact.ContactId as string;
      const quiet = await neighbourLoad(url, contactId, new Promise((resolve) => setTimeout(resolve, config.neighbourSeconds * 1000)));
      rows.push({ store, heavy: null, heavyLatencyMs: null, heavyRequests: 0, heavyNotOk: {}, neighbour: quiet });
      for (const worst of WORST(seeded.value)) {
        const heavy = heavyLoad(url, worst.action, worst.params, config.neighbourSeconds, HEAVY_IN_FLIGHT[store]);
        const [neighbour, value] = await Promise.all([neighbourLoad(url, contactId, heavy), heavy]);
        rows.push({ store, heavy: worst.name, heavyLatencyMs: value.latency, heavyRequests: value.requests, heavyNotOk: value.notOk, neighbour });
        console.log(`  ${worst.name}: neighbour p99 ${neighbour.latencyMs.p99.toFixed(1)} ms; heavy p50 ${value.latency.p50.toFixed(0)} ms, max ${value.latency.max.toFixed(0)} ms, ${value.requests} requests, not 200: ${JSON.stringify(value.notOk)}`);
      }
    } finally {
      await target.stop();
      await rdmc.cleanup();
      await database?.drop();
    }
  }
  return { accounts: config.neighbourAccounts, seconds: config.neighbourSeconds, rows, postgresSkipped: postgres ? null : 'no PostgreSQL reachable at 127.0.0.1:5432' };
}
