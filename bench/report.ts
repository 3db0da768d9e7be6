import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './config.js';
import type { MachineInfo } from './machine.js';
import type { ColdStartRow } from './scenarios/cold-start.js';
import type { AsyncRun, ScaleResults } from './scenarios/scale.js';
import type { ThroughputResults, ThroughputRow } from './scenarios/throughput.js';
import type { TargetCheck } from './targets-check.js';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  config: BenchConfig;
  machine: MachineInfo;
  throughput: ThroughputResults;
  coldStart: ColdStartRow[];
  scale: ScaleResults | null;
  targets: TargetCheck[];
}

// Compiled to dist/bench/: the sources' folders are two levels further up.
const REPO = new URL('../../', import.meta.url);
const RESULTS_DIR = new URL('bench/results/', REPO);
const README = new URL('README.md', REPO);
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

const ms = (v: number) => (v < 10 ? v.toFixed(3) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const rate = (v: number) => Math.round(v).toLocaleString('en-US');
const percent = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(0)}%`);
const mib = (v: number | null) => (v === null ? 'n/a' : `${(v / 1024 / 1024).toFixed(1)} MiB`);

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const asyncRow = (label: string, run: AsyncRun | null) =>
  run ? [label, run.accounts.toLocaleString('en-US'), ms(run.apiMs), ms(run.jobsMs), ms(run.totalMs)] : [label, 'n/a', '', '', ''];

/**
 * rdmc against its baselines at the same number of requests in flight: a fraction of the
 * bare ceiling, a multiple of moto. An Add+Delete cycle counts as its two requests.
 */
function relativeRows(rows: ThroughputRow[]): string[][] {
  const at = (target: ThroughputRow['target'], operation: string, inFlight: number) =>
    rows.find((r) => r.target === target && r.operation === operation && r.inFlight === inFlight)?.result.perSecond;
  const pairs: Array<[string, number, string]> = [
    ['GetMessageContact', 1, 'GetAlternateContact'],
    ['Add+Delete cycle (2 requests)', 2, 'PutAlternateContact'],
  ];
  return pairs.flatMap(([operation, requests, motoOperation]) =>
    [...new Set(rows.map((r) => r.inFlight))].map((inFlight) => {
      const mine = at('rdmc', operation, inFlight);
      const bare = at('bare', 'GET constant JSON', inFlight);
      const moto = at('moto', motoOperation, inFlight);
      const perSecond = mine === undefined ? undefined : mine * requests;
      return [
        `${operation} x${inFlight}`,
        perSecond === undefined ? 'n/a' : rate(perSecond),
        perSecond === undefined || bare === undefined ? 'n/a' : `${((perSecond / bare) * 100).toFixed(1)}% of bare`,
        perSecond === undefined || moto === undefined ? 'n/a' : `${(perSecond / moto).toFixed(1)}x ${motoOperation}`,
      ];
    }),
  );
}

/** The whole report as Markdown: printed to the console and written into the README. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(
    `Measured ${r.finishedAt.slice(0, 10)} by \`npm run bench\` on ${m.cores} cores (${m.cpuModel}), ` +
      `${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB, Node ${m.node}, ${m.os} (load average ${m.loadAverage.toFixed(2)} at the start); ${m.note}. ` +
      `${r.config.warmupSeconds} s warm-up, then ${r.config.seconds} s per scenario; keep-alive connections, one per request in flight; CPU columns are % of one core.`,
  );
  out.push('', '**Throughput and latency** (`rdmc` on SQLite, `rdmc-pg` on PostgreSQL 127.0.0.1:5432, both `--async-mode immediate`; every rdmc request freshly signed)', '');
  out.push(
    table(
      ['Server', 'Operation', 'Signature', 'In flight', 'ops/s', 'p50 ms', 'p99 ms', 'Errors', 'Server CPU', 'Generator CPU'],
      r.throughput.rows.map((row) => [
        row.target, row.operation, row.signature, String(row.inFlight), rate(row.result.perSecond),
        ms(row.result.latencyMs.p50), ms(row.result.latencyMs.p99), String(row.result.errors),
        percent(row.serverCpuPercent), percent(row.generatorCpuPercent),
      ]),
    ),
  );
  out.push(
    '',
    'An Add+Delete cycle is two requests; the Delete uses RetainContactInMembers=false, whose deletion job runs before the answer in immediate mode. ' +
      'moto runs on the Werkzeug development server, which closes every connection (`Connection: close`), so its requests cannot reuse a keep-alive connection.',
  );
  if (r.throughput.motoSkipped) out.push('', `moto: skipped (${r.throughput.motoSkipped}).`);
  if (r.throughput.postgresSkipped) out.push('', `rdmc on PostgreSQL: skipped (${r.throughput.postgresSkipped}).`);
  out.push('', '**rdmc relative to its baselines** (requests per second at the same number in flight)', '');
  out.push(table(['rdmc', 'Requests/s', 'vs bare node:http', 'vs moto'], relativeRows(r.throughput.rows)));
  out.push('', '**Cold start** (spawn to first answered request; rdmc with an empty database, first request a signed ListMessageContacts)', '');
  out.push(table(['Server', 'Median ms', 'Samples ms'], r.coldStart.map((c) => [c.target, ms(c.medianMs), c.samplesMs.map((s) => s.toFixed(0)).join(', ')])));
  const mem = r.throughput.rdmcMemory;
  out.push('', `**Memory**: rdmc RSS ${mib(mem.afterStartBytes)} after start, ${mib(mem.afterLoadBytes)} after the load above.`);
  if (r.scale) {
    out.push('', `**Scale** (1 request in flight, ${r.config.scaleSeconds} s per sample; 8 contacts, 3 bound to the Root)`, '');
    out.push(
      table(
        ['Accounts', 'ListMessageContacts p50 ms', 'p99 ms', 'Message routing p50 ms', 'p99 ms'],
        r.scale.rows.map((row) => [
          row.accounts.toLocaleString('en-US'), ms(row.list.latencyMs.p50), ms(row.list.latencyMs.p99),
          row.route ? ms(row.route.latencyMs.p50) : 'skipped', row.route ? ms(row.route.latencyMs.p99) : '',
        ]),
      ),
    );
    if (r.scale.routingSkipped) out.push('', `Message routing: ${r.scale.routingSkipped}.`);
    out.push('', '**Fan-out** (`--async-mode manual`: the API call, then `POST /_rdmc/jobs/run` until every message center is updated)', '');
    out.push(
      table(['Work', 'Accounts', 'API call ms', 'Jobs ms', 'Total ms'], [
        asyncRow('AssociateMembers on the Root', r.scale.fanOut),
        asyncRow('DeleteMessageContact, RetainContactInMembers=false', r.scale.deletion),
      ]),
    );
  }
  out.push('', '**Targets** (goals, not assertions)', '');
  out.push(table(['Goal', 'Measured', 'Met'], r.targets.map((t) => [t.goal, t.measured, t.met === null ? 'n/a' : t.met ? 'met' : 'not met'])));
  return out.join('\n');
}

/** Writes `bench/results/<timestamp>.json` and `latest.json`; returns the timestamped path. */
export async function writeResults(r: BenchResults): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const text = `${JSON.stringify(r, null, 2)}\n`;
  const stamped = new URL(`${r.startedAt.replace(/[:.]/g, '-')}.json`, RESULTS_DIR);
  await writeFile(stamped, text);
  await writeFile(new URL('latest.json', RESULTS_DIR), text);
  return fileURLToPath(stamped);
}

/** Replaces the text between the bench markers in README.md, creating a minimal README if needed. */
export async function updateReadme(markdown: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(README, 'utf8');
  } catch {
    text = '';
  }
  if (!text.includes(START) || !text.includes(END)) {
    text = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${text ? '\n' : ''}## Performance\n\n${START}\n${END}\n`;
  }
  const before = text.slice(0, text.indexOf(START) + START.length);
  const after = text.slice(text.indexOf(END));
  await writeFile(README, `${before}\n${markdown}\n${after}`);
}
