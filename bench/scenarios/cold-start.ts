import type { BenchConfig } from '../config.js';
import { median } from '../load/stats.js';
import { bareSpec } from '../targets/bare.js';
import { launch, type TargetSpec } from '../targets/launch.js';
import { motoSpec } from '../targets/moto.js';
import { rdmcSpec } from '../targets/rdmc.js';

export interface ColdStartRow {
  target: 'bare' | 'rdmc' | 'moto';
  samplesMs: number[];
  medianMs: number;
}

interface Contender {
  target: ColdStartRow['target'];
  /** A fresh spec per start: rdmc gets a new, empty database every time. */
  spec(): Promise<{ spec: TargetSpec; cleanup?: () => Promise<void> }>;
}

/**
 * From spawn to the first answered request, several times each. The servers take turns
 * (bare, rdmc, moto, bare, ...) so a slow moment of the machine does not land on one alone.
 */
export async function runColdStart(config: BenchConfig, moto: string | null): Promise<ColdStartRow[]> {
  const contenders: Contender[] = [
    { target: 'bare', spec: async () => ({ spec: bareSpec }) },
    { target: 'rdmc', spec: () => rdmcSpec({ asyncMode: 'immediate' }) },
    ...(moto ? [{ target: 'moto' as const, spec: async () => ({ spec: motoSpec(moto) }) }] : []),
  ];
  const samples = new Map<ColdStartRow['target'], number[]>(contenders.map((c) => [c.target, []]));
  console.log(`cold start: ${config.coldReps} starts each of ${contenders.map((c) => c.target).join(', ')}`);
  for (let rep = 0; rep < config.coldReps; rep++) {
    for (const contender of contenders) {
      const { spec, cleanup } = await contender.spec();
      try {
        const { target, coldStartMs } = await launch(spec);
        await target.stop();
        samples.get(contender.target)!.push(coldStartMs);
      } finally {
        await cleanup?.();
      }
    }
  }
  return contenders.map(({ target }) => {
    const ms = samples.get(target)!;
    console.log(`  ${target}: median ${median(ms).toFixed(0)} ms (${ms.map((m) => m.toFixed(0)).join(', ')})`);
    return { target, samplesMs: ms, medianMs: median(ms) };
  });
}
