import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, postgresReachable } from '../../test/helpers/database.js';
import type { BenchConfig } from '../config.js';
import type { LoadGenerator } from '../load/driver.js';
import { signedV3 } from '../load/requests.js';
import { launch } from '../targets/launch.js';
import { BENCH_KEY } from '../targets/rdmc.js';
import { addContact } from './rdmc-client.js';

const SCRIPT = fileURLToPath(new URL('../targets/profiled-rdmc.js', import.meta.url));

/** Where a GetMessageContact's time goes on one store: CPU profile of the server under load. */
export interface ProfileSummary {
  store: 'sqlite' | 'postgres';
  requests: number;
  /** Share of the server's sampled time that was idle (waiting for the client or the database). */
  idlePercent: number;
  /** CPU time per request in microseconds, split by where it was spent (sums to the busy share). */
  byArea: Array<{ area: string; percent: number; microsPerRequest: number }>;
  /** The functions with the most self time. */
  top: Array<{ fn: string; percent: number }>;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a function belongs to, by its source. */
function areaOf(functionName: string, url: string): string {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (/node_modules\/(pg|pg-protocol|pg-types|pgpass|pg-pool)\//.test(url)) return 'PostgreSQL driver (pg)';
  if (/node_modules\/better-sqlite3\//.test(url)) return 'SQLite (better-sqlite3)';
  if (/node_modules\/pino/.test(url)) return 'logging (pino)';
  if (/\/src\/storage\//.test(url)) return 'rdmc storage';
  if (/\/src\/protocol\//.test(url)) return 'rdmc protocol (signature check, parsing, rendering)';
  if (/\/src\//.test(url) && !url.includes('node_modules')) return 'rdmc services, API and metrics';
  if (/^node:(internal\/)?(crypto|internal\/crypto)/.test(url) || url.startsWith('node:internal/crypto')) return 'crypto (HMAC, SHA-256)';
  if (/^node:(internal\/)?(_?http|net|stream|internal\/(http|streams|net))/.test(url) || url.startsWith('node:_http') || url.startsWith('node:internal/http')) return 'node:http and sockets';
  if (url === '') {
    // Native functions have no source: sort them by name.
    if (/^(get|all|run|iterate|exec|step)$/.test(functionName)) return 'SQLite queries (native)';
    if (/^(writev|writeBuffer|writeUtf8String|writeLatin1String|readStart|readStop|shutdown|close|onStreamRead)$/.test(functionName)) return 'node:http and sockets';
    if (/^(update|digest|hmac|hash|Hmac|Hash|timingSafeEqual)$/i.test(functionName)) return 'crypto (HMAC, SHA-256)';
    if (functionName === '(program)') return 'V8 and native, unattributed';
    if (functionName === 'runMicrotasks') return 'promise and microtask scheduling';
    return 'native calls, other';
  }
  if (url.startsWith('node:internal/process/task_queues') || url.startsWith('node:internal/timers')) return 'promise and microtask scheduling';
  return 'other JavaScript (node internals, libraries)';
}

export function summarizeProfile(profile: CpuProfile, store: ProfileSummary['store'], requests: number): ProfileSummary {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const t = selfMicros.get(node.id) ?? 0;
    if (t === 0) continue;
    total += t;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(functionName, url);
    byArea.set(area, (byArea.get(area) ?? 0) + t);
    if (area === 'idle') continue;
    const fn = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
  }
  const pct = (t: number) => (total > 0 ? (t / total) * 100 : 0);
  return {
    store,
    requests,
    idlePercent: pct(byArea.get('idle') ?? 0),
    byArea: [...byArea]
      .filter(([area]) => area !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, t]) => ({ area, percent: pct(t), microsPerRequest: requests > 0 ? t / requests : 0 })),
    top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([fn, t]) => ({ fn, percent: pct(t) })),
  };
}

/** GetMessageContact at 32 in flight against a profiled rdmc on each store. */
export async function runProfiles(gen: LoadGenerator, config: BenchConfig): Promise<ProfileSummary[]> {
  const summaries: ProfileSummary[] = [];
  for (const store of ['sqlite', 'postgres'] as const) {
    if (store === 'postgres' && !(await postgresReachable())) continue;
    const dir = await mkdtemp(join(tmpdir(), 'rdmc-profile-'));
    const database = store === 'postgres' ? await createTestDatabase('postgres') : null;
    const out = join(dir, 'get.cpuprofile');
    try {
      const { target } = await launch({
        name: `rdmc (profiled, ${store})`,
        command: process.execPath,
        args: (port) => [SCRIPT, String(port), database?.db ?? join(dir, 'rdmc.sqlite'), out],
        probe: (host) => signedV3(host, BENCH_KEY, 'ListMessageContacts'),
      });
      try {
        const contactId = await addContact(target.url, 'Profiled');
        const scenario = {
          url: target.url,
          workload: { kind: 'rdmc-v3' as const, key: BENCH_KEY, action: 'GetMessageContact', params: { ContactId: contactId } },
          inFlight: 32,
          warmupMs: config.warmupSeconds * 1000,
          durationMs: config.seconds * 1000,
        };
        // Profiled from the end of the warm-up: the generator's measured phase and the profile cover the same requests.
        const load = gen.run(scenario);
        await new Promise((resolve) => setTimeout(resolve, scenario.warmupMs));
        process.kill(target.pid, 'SIGUSR2');
        const result = await load;
        const exited = once(target.child, 'exit');
        process.kill(target.pid, 'SIGUSR2');
        await exited;
        const summary = summarizeProfile(JSON.parse(await readFile(out, 'utf8')) as CpuProfile, store, result.operations);
        console.log(`profile ${store}: ${result.operations} GetMessageContact, ${summary.idlePercent.toFixed(0)}% idle; ${summary.byArea.slice(0, 3).map((a) => `${a.area} ${a.percent.toFixed(0)}%`).join(', ')}`);
        summaries.push(summary);
      } finally {
        await target.stop();
      }
    } finally {
      await database?.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }
  return summaries;
}
