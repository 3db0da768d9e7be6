import { loadBenchConfig } from './config.js';
import { neighbourMarkdown } from './report.js';
import { runNeighbours } from './scenarios/neighbours.js';
import { stopAll } from './targets/process.js';

/** `node dist/bench/neighbours.js`: the neighbours scenario alone (npm run bench runs it with the others). */
async function main(): Promise<void> {
  try {
    console.log(neighbourMarkdown(await runNeighbours(loadBenchConfig())));
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  console.error('bench failed:', err);
  process.exitCode = 1;
});
