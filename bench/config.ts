/** Bench settings from the environment, so a quick run and a careful run use the same code. */

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function sizes(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`${name} must be a comma-separated list of account counts`);
  return list.sort((a, b) => a - b);
}

function stores(name: string): Array<'sqlite' | 'postgres'> {
  const list = (process.env[name] || 'sqlite,postgres').split(',').map((s) => s.trim());
  if (list.some((s) => s !== 'sqlite' && s !== 'postgres')) throw new Error(`${name} must name sqlite and/or postgres`);
  return list as Array<'sqlite' | 'postgres'>;
}

export interface BenchConfig {
  /** Measured seconds per throughput scenario (BENCH_SECONDS). */
  seconds: number;
  /** Warm-up seconds before each measurement, discarded (BENCH_WARMUP_SECONDS). */
  warmupSeconds: number;
  /** Measured seconds per scale sample (BENCH_SCALE_SECONDS). */
  scaleSeconds: number;
  /** Cold starts per server; the median is reported (BENCH_COLD_REPS). */
  coldReps: number;
  /** Directory sizes for the scale runs (BENCH_SCALE_SIZES=10000,100000), each on each store. */
  scaleSizes: number[];
  /** In-flight levels for the throughput runs. */
  inFlight: number[];
  /** The heavy tenant's members in the neighbours scenario (BENCH_NEIGHBOUR_ACCOUNTS, BENCH_NEIGHBOUR_PG_ACCOUNTS). */
  neighbourAccounts: { sqlite: number; postgres: number };
  /** Measured seconds per worst request in the neighbours scenario (BENCH_NEIGHBOUR_SECONDS). */
  neighbourSeconds: number;
  /** The stores the neighbours scenario runs on (BENCH_NEIGHBOUR_STORES=sqlite,postgres). */
  neighbourStores: Array<'sqlite' | 'postgres'>;
}

export function loadBenchConfig(): BenchConfig {
  return {
    seconds: num('BENCH_SECONDS', 5),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', 1),
    scaleSeconds: num('BENCH_SCALE_SECONDS', 1),
    coldReps: Math.round(num('BENCH_COLD_REPS', 5)),
    scaleSizes: sizes('BENCH_SCALE_SIZES', [10_000, 100_000]),
    inFlight: [1, 32],
    neighbourAccounts: { sqlite: Math.round(num('BENCH_NEIGHBOUR_ACCOUNTS', 100_000)), postgres: Math.round(num('BENCH_NEIGHBOUR_PG_ACCOUNTS', 20_000)) },
    neighbourSeconds: num('BENCH_NEIGHBOUR_SECONDS', 5),
    neighbourStores: stores('BENCH_NEIGHBOUR_STORES'),
  };
}
