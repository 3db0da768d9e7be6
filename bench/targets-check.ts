import type { ColdStartRow } from './scenarios/cold-start.js';
import { DEEP_CASE, type GuardrailResults } from './scenarios/guardrails.js';
import type { NeighbourResults } from './scenarios/neighbours.js';
import type { ScaleResults } from './scenarios/scale.js';
import type { ThroughputRow } from './scenarios/throughput.js';

/** A goal of issues 7 and 11: reported as met or not, never asserted. */
export interface TargetCheck {
  goal: string;
  measured: string;
  /** null when it could not be measured (a baseline was skipped). */
  met: boolean | null;
}

const find = (rows: ThroughputRow[], target: ThroughputRow['target'], operation: string, inFlight: number) =>
  rows.find((r) => r.target === target && r.operation === operation && r.inFlight === inFlight)?.result;

// "Flat" growth of a per-request time from the smallest to the largest directory.
const FLAT_FACTOR = 2;

export function checkTargets(
  rows: ThroughputRow[], cold: ColdStartRow[], scale: ScaleResults | null, neighbours: NeighbourResults | null = null, guardrails: GuardrailResults | null = null,
): TargetCheck[] {
  const get32 = find(rows, 'rdmc', 'GetMessageContact', 32);
  const get1 = find(rows, 'rdmc', 'GetMessageContact', 1);
  const bare32 = find(rows, 'bare', 'GET constant JSON', 32);
  const moto32 = find(rows, 'moto', 'GetAlternateContact', 32);
  const coldOf = (t: ColdStartRow['target']) => cold.find((c) => c.target === t)?.medianMs;
  const [rdmcCold, bareCold, motoCold] = [coldOf('rdmc'), coldOf('bare'), coldOf('moto')];
  const checks: TargetCheck[] = [];
  const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);

  const ofBare = ratio(get32?.perSecond, bare32?.perSecond);
  checks.push({ goal: 'GetMessageContact x32 >= 50% of the bare node:http ceiling', measured: ofBare === undefined ? 'n/a' : `${(ofBare * 100).toFixed(1)}%`, met: ofBare === undefined ? null : ofBare >= 0.5 });
  const ofMoto = ratio(get32?.perSecond, moto32?.perSecond);
  checks.push({ goal: "GetMessageContact x32 >= 15x moto's GetAlternateContact", measured: ofMoto === undefined ? 'n/a (moto skipped)' : `${ofMoto.toFixed(1)}x`, met: ofMoto === undefined ? null : ofMoto >= 15 });
  checks.push({ goal: 'GetMessageContact p99 at 1 in flight < 1 ms', measured: get1 ? `${get1.latencyMs.p99.toFixed(3)} ms` : 'n/a', met: get1 ? get1.latencyMs.p99 < 1 : null });
  const coldRatio = ratio(rdmcCold, bareCold);
  checks.push({ goal: "rdmc cold start <= 2.5x the bare server's", measured: coldRatio === undefined ? 'n/a' : `${coldRatio.toFixed(2)}x (${rdmcCold!.toFixed(0)} vs ${bareCold!.toFixed(0)} ms)`, met: coldRatio === undefined ? null : coldRatio <= 2.5 });
  checks.push({ goal: "rdmc cold start below moto's", measured: motoCold === undefined || rdmcCold === undefined ? 'n/a (moto skipped)' : `${rdmcCold.toFixed(0)} vs ${motoCold.toFixed(0)} ms`, met: motoCold === undefined || rdmcCold === undefined ? null : rdmcCold < motoCold });

  const getPg32 = find(rows, 'rdmc-pg', 'GetMessageContact', 32);
  const cycle32 = find(rows, 'rdmc', 'Add+Delete cycle (2 requests)', 32);
  const cyclePg32 = find(rows, 'rdmc-pg', 'Add+Delete cycle (2 requests)', 32);
  const ofSqlite = (label: string, pg: number | undefined, lite: number | undefined) => {
    const r = ratio(pg, lite);
    checks.push({ goal: `PostgreSQL ${label} x32 >= 50% of SQLite's`, measured: r === undefined ? 'n/a' : `${(r * 100).toFixed(1)}%`, met: r === undefined ? null : r >= 0.5 });
  };
  ofSqlite('GetMessageContact', getPg32?.perSecond, get32?.perSecond);
  ofSqlite('Add+Delete cycle', cyclePg32?.perSecond, cycle32?.perSecond);

  for (const store of ['sqlite', 'postgres'] as const) {
    const largest = scale?.rows.filter((r) => r.store === store).at(-1);
    if (!largest) continue;
    const n = largest.accounts.toLocaleString('en-US');
    const limit = store === 'sqlite' ? { seed: 5_000, work: 3_000 } : { seed: 10_000, work: 10_000 };
    const time = (label: string, value: number, max: number) =>
      checks.push({ goal: `${store}: ${label} of ${n} accounts < ${max / 1000} s`, measured: `${(value / 1000).toFixed(2)} s`, met: value < max });
    time('seed', largest.seedMs, limit.seed);
    time('fan-out of a Root binding', largest.fanOut.totalMs, limit.work);
    time('asynchronous deletion', largest.deletion.totalMs, limit.work);
    const p99 = largest.getDuringFanOut.latencyMs.p99;
    checks.push({ goal: `${store}: GetMessageContact p99 during the ${n}-account fan-out < 50 ms`, measured: `${p99.toFixed(1)} ms`, met: p99 < 50 });
    const { afterStartBytes: start, afterFanOutBytes: after } = largest.memory;
    const grown = ratio(after ?? undefined, start ?? undefined);
    checks.push({
      goal: `${store}: memory after the ${n}-account fan-out < 2x memory after start`,
      measured: grown === undefined ? 'n/a' : `${grown.toFixed(2)}x (${((start ?? 0) / 2 ** 20).toFixed(0)} -> ${((after ?? 0) / 2 ** 20).toFixed(0)} MiB)`,
      met: grown === undefined ? null : grown < 2,
    });
    const sizes = scale!.rows.filter((r) => r.store === store);
    const first = sizes[0]!;
    const growth = (label: string, a: number | undefined, b: number | undefined) => {
      const g = ratio(b, a);
      checks.push({
        goal: `${store}: ${label} p50 flat from ${first.accounts} to ${largest.accounts} accounts (<= ${FLAT_FACTOR}x)`,
        measured: g === undefined ? 'n/a (skipped)' : `${g.toFixed(2)}x`,
        met: g === undefined ? null : g <= FLAT_FACTOR,
      });
    };
    if (sizes.length >= 2) {
      growth('ListMessageContacts', first.list.latencyMs.p50, largest.list.latencyMs.p50);
      growth('message routing', first.route?.latencyMs.p50, largest.route?.latencyMs.p50);
    }
  }
  for (const store of ['sqlite', 'postgres'] as const) {
    const loaded = neighbours?.rows.filter((r) => r.store === store && r.heavy !== null) ?? [];
    const worst = loaded.reduce<(typeof loaded)[number] | undefined>((w, r) => (!w || r.neighbour.latencyMs.p99 > w.neighbour.latencyMs.p99 ? r : w), undefined);
    checks.push({
      goal: `${store}: another tenant's GetMessageContact p99 < 100 ms while one tenant runs the worst legal request of each list action`,
      measured: worst ? `${worst.neighbour.latencyMs.p99.toFixed(1)} ms (worst: ${worst.heavy})` : 'n/a',
      met: worst ? worst.neighbour.latencyMs.p99 < 100 : null,
    });
  }
  const deep = guardrails?.rows.find((r) => r.case === DEEP_CASE);
  checks.push({
    goal: 'guardrail decision p99 for an account 5 folders deep with 10 policies per level < 1 ms',
    measured: deep ? `${deep.latencyMs.p99.toFixed(3)} ms` : 'n/a',
    met: deep ? deep.latencyMs.p99 < 1 : null,
  });
  return checks;
}
