import { adminRequest, adminTarget } from './admin-client.js';
import { UsageError } from './call.js';
import { parse, TARGET_FLAGS } from './state-commands.js';

export const TIME_USAGE = `usage: rdmc time [advance DURATION] [--endpoint URL] [--admin-token TOKEN]

Prints the server's clock (what expiry, retries and retention read), or moves it forward
by DURATION first (POST /_rdmc/time/advance): links and console sessions expire and job
retries come due as though the time had passed. The clock is per node; on PostgreSQL the
server needs RDMC_TIME_TRAVEL=true (docs/operations.md, Time).

  DURATION  A whole number with a unit: 1500ms, 30s, 90m, 24h or 7d (no unit: milliseconds).
${TARGET_FLAGS}`;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function durationMs(text: string | undefined): number {
  const m = /^(\d{1,13})(ms|s|m|h|d)?$/.exec(text ?? '');
  if (!m) throw new UsageError(`expected a DURATION such as 90m or 24h, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
}

export async function time(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(argv, 'time');
  const [sub, duration, ...more] = positionals;
  if (sub !== undefined && sub !== 'advance') throw new UsageError(`expected "advance" or nothing, got "${sub}"`);
  if (more.length > 0) throw new UsageError(`expected one DURATION, got ${more.length + 1}`);
  const target = adminTarget(values, env);
  const res = sub === 'advance' ? await adminRequest(target, 'POST', '/time/advance', { Milliseconds: durationMs(duration) }) : await adminRequest(target, 'GET', '/time');
  const { Now, AdvancedMs } = (await res.json()) as { Now: string; AdvancedMs: number };
  console.log(`rdmc time: ${Now} (advanced ${AdvancedMs} ms)`);
}
