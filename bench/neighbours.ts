import { loadBenchConfig } from './config.js';
import { LoadGenerator } from './load/driver.js';
import { neighbourMarkdown } from './report.js';
import { runNeighbours } from './scenarios/neighbours.js';
import { stopAll } from './targets/process.js';

/** `node dist/bench/neighbours.js`: the neighbours scenario alone (npm run bench runs it with the others). */
async function main(): Promise<void> {
  const gen = LoadGenerator.start();
  try {
    console.log(neighbourMarkdown(await runNeighbours(gen, loadBenchConfig())));
  } finally {
    await gen.stop();
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error('bench failed:', err);
  process.exitCode = 1;
});
