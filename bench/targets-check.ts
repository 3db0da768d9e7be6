import type { ColdStartRow } from './scenarios/cold-start.js';
import type { ScaleResults } from './scenarios/scale.js';
import type { ThroughputRow } from './scenarios/throughput.js';

/** A goal of issue 7: reported as met or not, never asserted. */
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

export function checkTargets(rows: ThroughputRow[], cold: ColdStartRow[], scale: ScaleResults | null): TargetCheck[] {
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

  if (scale && scale.rows.length >= 2) {
    const first = scale.rows[0]!;
    const last = scale.rows.at(-1)!;
    const growth = (label: string, a: number | undefined, b: number | undefined) => {
      const g = ratio(b, a);
      checks.push({
        goal: `${label} p50 flat from ${first.accounts} to ${last.accounts} accounts (<= ${FLAT_FACTOR}x)`,
        measured: g === undefined ? 'n/a (skipped)' : `${g.toFixed(2)}x`,
        met: g === undefined ? null : g <= FLAT_FACTOR,
      });
    };
    growth('ListMessageContacts', first.list.latencyMs.p50, last.list.latencyMs.p50);
    growth('message routing', first.route?.latencyMs.p50, last.route?.latencyMs.p50);
  }
  return checks;
}
