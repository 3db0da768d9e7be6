import { loadavg } from 'node:os';
import { loadBenchConfig } from './config.js';
import { LoadGenerator } from './load/driver.js';
import { describeMachine } from './machine.js';
import { renderMarkdown, updateReadme, writeResults, type BenchResults } from './report.js';
import { runColdStart } from './scenarios/cold-start.js';
import { runGuardrails } from './scenarios/guardrails.js';
import { runNeighbours } from './scenarios/neighbours.js';
import { runProfiles } from './scenarios/profile.js';
import { runScale } from './scenarios/scale.js';
import { runThroughput } from './scenarios/throughput.js';
import { checkTargets } from './targets-check.js';
import { findMoto } from './targets/moto.js';
import { stopAll } from './targets/process.js';

/**
 * `npm run bench`: rdmc and its baselines (bare node:http, moto) side by side, in one run,
 * on one machine. Every process started here is stopped before exit, on failure too.
 */
async function main(): Promise<void> {
  const config = loadBenchConfig();
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  console.log(`rdmc bench: ${machine.cores} cores, ${machine.cpuModel}, Node ${machine.node}`);
  const moto = await findMoto();
  if (!moto) console.log('moto: skipped (moto_server not found on PATH)');

  const gen = LoadGenerator.start();
  try {
    // In process and first, before any server loads the machine.
    const guardrails = runGuardrails();
    const throughput = await runThroughput(gen, config, moto);
    const coldStart = await runColdStart(config, moto);
    const profiles = await runProfiles(gen, config);
    const scale = await runScale(gen, config);
    const neighbours = await runNeighbours(config);
    const results: BenchResults = {
      startedAt,
      finishedAt: new Date().toISOString(),
      // Other work on the machine skews every figure: the load average at the end too.
      loadAverageAtEnd: loadavg()[0] ?? 0,
      config,
      machine,
      throughput,
      coldStart,
      scale,
      neighbours,
      guardrails,
      profiles,
      targets: checkTargets(throughput.rows, coldStart, scale, neighbours, guardrails),
    };
    const markdown = renderMarkdown(results);
    console.log(`\n${markdown}\n`);
    const file = await writeResults(results);
    await updateReadme(markdown);
    console.log(`results: ${file} (and bench/results/latest.json); README.md performance section updated`);
  } finally {
    await gen.stop();
    await stopAll();
  }
}

// Ctrl-C or a kill: stop the servers first, then leave.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

main().catch((err: unknown) => {
  console.error('bench failed:', err);
  process.exitCode = 1;
});
