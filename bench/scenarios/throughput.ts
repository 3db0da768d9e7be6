import type { BenchConfig } from '../config.js';
import type { LoadGenerator } from '../load/driver.js';
import type { ScenarioResult } from '../load/generator.js';
import type { Workload } from '../load/workloads.js';
import { bareSpec } from '../targets/bare.js';
import { launch, type TargetSpec } from '../targets/launch.js';
import { motoSpec } from '../targets/moto.js';
import { cpuUse, rssBytes } from '../targets/process.js';
import { BENCH_KEY, rdmcSpec } from '../targets/rdmc.js';
import { createTestDatabase, postgresReachable } from '../../test/helpers/database.js';
import { addContact, memberSession } from './rdmc-client.js';

export interface ThroughputRow {
  /** `rdmc-pg`: rdmc on PostgreSQL; `rdmc` alone is on SQLite. */
  target: 'bare' | 'rdmc' | 'rdmc-pg' | 'moto';
  /** What one counted operation is. */
  operation: string;
  signature: string;
  inFlight: number;
  result: ScenarioResult;
  /** How busy the server and the load generator were (% of one core), warm-up included. */
  serverCpuPercent: number | null;
  generatorCpuPercent: number | null;
}

export interface MemoryResult {
  afterStartBytes: number | null;
  afterLoadBytes: number | null;
}

export interface ThroughputResults {
  rows: ThroughputRow[];
  rdmcMemory: MemoryResult;
  /** Why moto rows are missing, when they are. */
  motoSkipped: string | null;
  /** Why PostgreSQL rows are missing, when they are. */
  postgresSkipped: string | null;
}

/** The signed read with an account's own key and the same read with an STS session token (report.ts compares them). */
export const GET_DIRECTORY_ROOT = 'GetResourceDirectory, root key';
export const GET_DIRECTORY_SESSION = 'GetResourceDirectory, STS session of a member';

type Case = Pick<ThroughputRow, 'target' | 'operation' | 'signature'> & { workload: Workload };

interface Plan {
  /** Set-up against the running server; returns the cases to measure. */
  prepare(url: string, pid: number): Promise<Case[]>;
  /** Runs after the last case, before the server stops. */
  finish?(pid: number): Promise<void>;
}

/** Starts one server, runs each case at each in-flight level against it, stops it. */
async function measure(spec: TargetSpec, plan: Plan, gen: LoadGenerator, config: BenchConfig): Promise<ThroughputRow[]> {
  const { target } = await launch(spec);
  const rows: ThroughputRow[] = [];
  try {
    for (const { workload, ...c } of await plan.prepare(target.url, target.pid)) {
      for (const inFlight of config.inFlight) {
        const durationMs = config.seconds * 1000;
        const scenario = { url: target.url, workload, inFlight, warmupMs: config.warmupSeconds * 1000, durationMs };
        const { value: result, percent } = await cpuUse([target.pid, gen.pid], () => gen.run(scenario));
        const [serverCpuPercent = null, generatorCpuPercent = null] = percent;
        rows.push({ ...c, inFlight, result, serverCpuPercent, generatorCpuPercent });
        const err = result.errors ? `, ${result.errors} errors (first: ${result.firstError})` : '';
        const { p50, p99 } = result.latencyMs;
        const cpu = `server CPU ${serverCpuPercent?.toFixed(0) ?? '?'}%, generator ${generatorCpuPercent?.toFixed(0) ?? '?'}%`;
        console.log(`  ${c.target} ${c.operation} x${inFlight}: ${result.perSecond.toFixed(0)}/s p50 ${p50.toFixed(3)} ms p99 ${p99.toFixed(3)} ms; ${cpu}${err}`);
      }
    }
    await plan.finish?.(target.pid);
    return rows;
  } finally {
    await target.stop();
  }
}

const fixed = (cases: Case[]): Plan => ({ prepare: async () => cases });

export async function runThroughput(gen: LoadGenerator, config: BenchConfig, moto: string | null): Promise<ThroughputResults> {
  console.log('throughput: bare node:http (the ceiling)');
  const bare = await measure(bareSpec, fixed([{ target: 'bare', operation: 'GET constant JSON', signature: 'none', workload: { kind: 'bare' } }]), gen, config);

  console.log('throughput: rdmc on SQLite');
  const memory: MemoryResult = { afterStartBytes: null, afterLoadBytes: null };
  const rdmcRows = await measureRdmc('rdmc', undefined, memory, gen, config);

  let postgresRows: ThroughputRow[] = [];
  let postgresSkipped: string | null = null;
  if (await postgresReachable()) {
    console.log('throughput: rdmc on PostgreSQL');
    const database = await createTestDatabase('postgres');
    try {
      postgresRows = await measureRdmc('rdmc-pg', database.db, { afterStartBytes: null, afterLoadBytes: null }, gen, config);
    } finally {
      await database.drop();
    }
  } else {
    postgresSkipped = 'no PostgreSQL reachable at 127.0.0.1:5432';
    console.log(`throughput: rdmc on PostgreSQL skipped: ${postgresSkipped}`);
  }

  let motoRows: ThroughputRow[] = [];
  if (moto) {
    console.log('throughput: moto (AWS Account alternate contacts)');
    const signature = 'SigV4 header, unchecked';
    motoRows = await measure(
      motoSpec(moto),
      fixed([
        { target: 'moto', operation: 'GetAlternateContact', signature, workload: { kind: 'moto-get' } },
        { target: 'moto', operation: 'PutAlternateContact', signature, workload: { kind: 'moto-put' } },
      ]),
      gen,
      config,
    );
  }
  return {
    rows: [...bare, ...rdmcRows, ...postgresRows, ...motoRows],
    rdmcMemory: memory,
    motoSkipped: moto ? null : 'moto_server not found on PATH',
    postgresSkipped,
  };
}

/** rdmc's own cases on one store (SQLite unless `db` is a postgres:// URL). */
async function measureRdmc(
  target: 'rdmc' | 'rdmc-pg',
  db: string | undefined,
  memory: MemoryResult,
  gen: LoadGenerator,
  config: BenchConfig,
): Promise<ThroughputRow[]> {
  // Overlapping Add/Delete cycles (one contact per slot, plus deletions still settling)
  // would trip the default quota of 20.
  const rdmc = await rdmcSpec({ asyncMode: 'immediate', contactQuota: 200, db });
  try {
    return await measure(
      rdmc.spec,
      {
        async prepare(url, pid) {
          memory.afterStartBytes = await rssBytes(pid);
          const contactId = await addContact(url, 'Benchget');
          const get: Workload = { kind: 'rdmc-v3', key: BENCH_KEY, action: 'GetMessageContact', params: { ContactId: contactId } };
          // A session acts as the member it assumed into, which may not read the management
          // account's contacts: the session's signed read is GetResourceDirectory (a member gets
          // its directory), beside the same read with the root key.
          const session = await memberSession(url);
          const directoryRead = (key: typeof session): Workload => ({ kind: 'rdmc-v3', key, action: 'GetResourceDirectory', params: {} });
          return [
            { target, operation: 'GetMessageContact', signature: 'v3', workload: get },
            { target, operation: GET_DIRECTORY_ROOT, signature: 'v3', workload: directoryRead(BENCH_KEY) },
            { target, operation: GET_DIRECTORY_SESSION, signature: 'v3 + STS token', workload: directoryRead(session) },
            { target, operation: 'Add+Delete cycle (2 requests)', signature: 'v1', workload: { kind: 'rdmc-add-delete-v1', key: BENCH_KEY } },
            // The same reads once more: state that grows with every request (remembered
            // nonces, the WAL) shows up as the difference from the first row.
            { target, operation: 'GetMessageContact, again after the load above', signature: 'v3', workload: get },
          ];
        },
        async finish(pid) {
          memory.afterLoadBytes = await rssBytes(pid);
        },
      },
      gen,
      config,
    );
  } finally {
    await rdmc.cleanup();
  }
}
