import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './config.js';
import type { MachineInfo } from './machine.js';
import type { ColdStartRow } from './scenarios/cold-start.js';
import type { GuardrailResults } from './scenarios/guardrails.js';
import type { ProfileSummary } from './scenarios/profile.js';
import type { NeighbourResults } from './scenarios/neighbours.js';
import type { AsyncRun, ScaleResults } from './scenarios/scale.js';
import { GET_DIRECTORY_ROOT, GET_DIRECTORY_SESSION, type ThroughputResults, type ThroughputRow } from './scenarios/throughput.js';
import type { TargetCheck } from './targets-check.js';

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  loadAverageAtEnd: number;
  config: BenchConfig;
  machine: MachineInfo;
  throughput: ThroughputResults;
  coldStart: ColdStartRow[];
  scale: ScaleResults | null;
  neighbours: NeighbourResults | null;
  guardrails: GuardrailResults;
  profiles: ProfileSummary[];
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

const secs = (v: number) => `${(v / 1000).toFixed(2)} s`;
const asyncCell = (run: AsyncRun) => `${secs(run.totalMs)} (API ${ms(run.apiMs)} ms)`;

/** PostgreSQL as a share of SQLite, operation by operation, in the same run. */
function storeRatioRows(rows: ThroughputRow[]): string[][] {
  const ops = [...new Set(rows.filter((r) => r.target === 'rdmc-pg').map((r) => `${r.operation}\u0000${r.inFlight}`))];
  return ops.flatMap((key) => {
    const [operation, inFlight] = key.split('\u0000') as [string, string];
    const at = (target: ThroughputRow['target']) => rows.find((r) => r.target === target && r.operation === operation && r.inFlight === Number(inFlight))?.result;
    const lite = at('rdmc');
    const pg = at('rdmc-pg');
    if (!lite || !pg) return [];
    return [[`${operation} x${inFlight}`, rate(lite.perSecond), rate(pg.perSecond), `${((pg.perSecond / lite.perSecond) * 100).toFixed(1)}%`]];
  });
}

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

/**
 * The same signed read (GetResourceDirectory, v3) with a root key and with an STS session
 * token, per store and in-flight level: what a session costs (its lookup in the store, and
 * the member's directory found through its account).
 */
function sessionRows(rows: ThroughputRow[]): string[][] {
  const at = (target: ThroughputRow['target'], operation: string, inFlight: number) =>
    rows.find((r) => r.target === target && r.operation === operation && r.inFlight === inFlight)?.result;
  return rows
    .filter((r) => r.operation === GET_DIRECTORY_SESSION)
    .flatMap((session) => {
      const root = at(session.target, GET_DIRECTORY_ROOT, session.inFlight);
      if (!root) return [];
      return [[
        session.target, String(session.inFlight), rate(root.perSecond), rate(session.result.perSecond),
        `${((session.result.perSecond / root.perSecond) * 100).toFixed(1)}%`,
        `${ms(root.latencyMs.p50)} / ${ms(session.result.latencyMs.p50)}`,
      ]];
    });
}

/** The neighbours scenario: one tenant's worst list requests against another tenant's latency. */
export function neighbourMarkdown(n: NeighbourResults): string {
  const out = [
    `**Noisy neighbours** (a server of its own per store, \`--async-mode immediate\`; the heavy tenant's directory holds ${n.accounts.sqlite.toLocaleString('en-US')} members on SQLite, ` +
      `${n.accounts.postgres.toLocaleString('en-US')} on PostgreSQL, and 1,000 folders, each with the same 20 tags; it keeps one worst legal list request in flight 4 times over on SQLite, ` +
      `12 on PostgreSQL (its pool holds 10), for ${n.seconds} s while another tenant's GetMessageContact runs at 1 in flight; 503s are heavy requests cut at their deadline)`,
    '',
    table(
      ['Store', "Heavy tenant's request", 'Neighbour p50 / p99 / max ms', 'Neighbour requests (not 200)', 'Heavy p50 / max ms', 'Heavy requests (not 200)'],
      n.rows.map((row) => [
        row.store,
        row.heavy ?? 'none (quiet baseline)',
        `${ms(row.neighbour.latencyMs.p50)} / ${ms(row.neighbour.latencyMs.p99)} / ${ms(row.neighbour.latencyMs.max)}`,
        `${row.neighbour.operations}${Object.keys(row.neighbour.notOk).length ? ` (${Object.entries(row.neighbour.notOk).map(([s, c]) => `${c} x ${s}`).join(', ')})` : ''}`,
        row.heavyLatencyMs ? `${ms(row.heavyLatencyMs.p50)} / ${ms(row.heavyLatencyMs.max)}` : '',
        row.heavy ? `${row.heavyRequests}${Object.keys(row.heavyNotOk).length ? ` (${Object.entries(row.heavyNotOk).map(([s, c]) => `${c} x ${s}`).join(', ')})` : ''}` : '',
      ]),
    ),
  ];
  if (n.postgresSkipped) out.push('', `Neighbours on PostgreSQL: skipped (${n.postgresSkipped}).`);
  return out.join('\n');
}

/** The simulator's decision time, in process, against the smallest decision measured beside it. */
export function guardrailMarkdown(g: GuardrailResults): string {
  const micros = (v: number) => (v * 1000).toFixed(1);
  const base = g.rows[0]!.latencyMs.p50;
  return [
    '**Guardrail decisions** (the control-policy evaluator in process, a RAM user\'s `ecs:DeleteInstance` that every guardrail lets through, so every statement is tested; ' +
      'each level holds FullAliyunAccess and nine landing-zone-shaped Deny policies with conditions)',
    '',
    table(
      ['Case', 'Decision', 'Decisions', 'p50 µs', 'p99 µs', 'p50 / baseline p50'],
      g.rows.map((row) => [row.case, row.decision, row.decisions.toLocaleString('en-US'), micros(row.latencyMs.p50), micros(row.latencyMs.p99), `${(row.latencyMs.p50 / base).toFixed(1)}x`]),
    ),
  ].join('\n');
}

/** The whole report as Markdown: printed to the console and written into the README. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(
    `Measured ${r.finishedAt.slice(0, 10)} by \`npm run bench\` on ${m.cores} cores (${m.cpuModel}), ` +
      `${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB, Node ${m.node}, ${m.os} (1-minute load average ${m.loadAverage.toFixed(2)} at the start, ${r.loadAverageAtEnd.toFixed(2)} at the end); ${m.note}. ` +
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
  const sessions = sessionRows(r.throughput.rows);
  if (sessions.length > 0) {
    out.push(
      '',
      '**A session token beside a root key** (GetResourceDirectory signed v3: with the management account\'s own key, and with an STS session of a member that a RAM user of the ' +
        'management account assumed; the session acts as the member, so it reads the directory the member belongs to, one more lookup, and its temporary key is found in the store)',
      '',
      table(['Server', 'In flight', 'Root key ops/s', 'Session ops/s', 'Session / root', 'p50 ms root / session'], sessions),
    );
  }
  out.push('', '**rdmc relative to its baselines** (requests per second at the same number in flight)', '');
  out.push(table(['rdmc', 'Requests/s', 'vs bare node:http', 'vs moto'], relativeRows(r.throughput.rows)));
  out.push('', '**Cold start** (spawn to first answered request; rdmc with an empty database, first request a signed ListMessageContacts)', '');
  out.push(table(['Server', 'Median ms', 'Samples ms'], r.coldStart.map((c) => [c.target, ms(c.medianMs), c.samplesMs.map((s) => s.toFixed(0)).join(', ')])));
  const mem = r.throughput.rdmcMemory;
  out.push('', `**Memory**: rdmc RSS ${mib(mem.afterStartBytes)} after start, ${mib(mem.afterLoadBytes)} after the load above.`);
  if (r.throughput.rows.some((row) => row.target === 'rdmc-pg')) {
    out.push('', '**PostgreSQL relative to SQLite** (same run, same requests)', '');
    out.push(table(['Operation', 'SQLite ops/s', 'PostgreSQL ops/s', 'PostgreSQL / SQLite'], storeRatioRows(r.throughput.rows)));
  }
  if (r.scale) {
    out.push(
      '',
      '**Scale** (a server of its own per store and size, `--async-mode manual`; 8 contacts, 3 bound to the Root; seed = `POST /_rdmc/seed` of every member; ' +
        'fan-out = AssociateMembers on the Root, then `POST /_rdmc/jobs/run` until every message center has the contact; deletion = DeleteMessageContact ' +
        'RetainContactInMembers=false, then the jobs; GetMessageContact at 1 in flight while the fan-out runs; list and routing at 1 in flight, ' +
        `${r.config.scaleSeconds} s per sample)`,
      '',
    );
    out.push(
      table(
        ['Store', 'Accounts', 'Seed', 'Fan-out', 'GetMessageContact during fan-out p50 / p99 ms', 'Async deletion', 'RSS after start / after fan-out', 'ListMessageContacts p50 ms', 'Routing p50 ms'],
        r.scale.rows.map((row) => [
          row.store, row.accounts.toLocaleString('en-US'), secs(row.seedMs), asyncCell(row.fanOut),
          `${ms(row.getDuringFanOut.latencyMs.p50)} / ${ms(row.getDuringFanOut.latencyMs.p99)} (${row.getDuringFanOut.operations} requests)`,
          asyncCell(row.deletion), `${mib(row.memory.afterStartBytes)} / ${mib(row.memory.afterFanOutBytes)}`,
          ms(row.list.latencyMs.p50), row.route ? ms(row.route.latencyMs.p50) : 'skipped',
        ]),
      ),
    );
    if (r.scale.routingSkipped) out.push('', `Message routing: ${r.scale.routingSkipped}.`);
    if (r.scale.postgresSkipped) out.push('', `Scale on PostgreSQL: skipped (${r.scale.postgresSkipped}).`);
  }
  if (r.neighbours) out.push('', neighbourMarkdown(r.neighbours));
  out.push('', guardrailMarkdown(r.guardrails));
  for (const p of r.profiles) {
    out.push(
      '',
      `**Where a GetMessageContact spends its time on ${p.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}** (V8 CPU profile of the server, 32 in flight, ` +
        `${p.requests.toLocaleString('en-US')} requests; the server was idle ${p.idlePercent.toFixed(0)}% of the time, waiting for the client${p.store === 'postgres' ? ' or the database' : ''})`,
      '',
    );
    out.push(table(['Area', 'Share of samples', 'µs per request'], p.byArea.map((a) => [a.area, `${a.percent.toFixed(1)}%`, a.microsPerRequest.toFixed(1)])));
    out.push('', `Most self time: ${p.top.map((t) => `\`${t.fn}\` ${t.percent.toFixed(1)}%`).join('; ')}.`);
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
