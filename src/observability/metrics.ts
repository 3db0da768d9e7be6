/**
 * The counters of one rdmc server, served at GET /_rdmc/metrics in the text exposition format
 * with what a scrape reads (src/observability/scrape.ts). Written here rather than with
 * prom-client: that library (and what it pulls in) costs about 40 ms of start-up, a sixth of
 * rdmc's whole cold start, for series a small class keeps as well, and it has no bound on a
 * metric's series; it is loaded at the first scrape, for the process's own metrics only
 * (src/observability/process-metrics.ts). One instance per server, so servers sharing a
 * process (tests) keep their own counts.
 */
export type Labels = Record<string, string>;

/**
 * The backstop that keeps a metric's size fixed whatever the requests hold. Labels are taken
 * from bounded sets (pipeline.ts: the action list and catalogue codes), but should a caller's
 * text ever reach one, a label value is cut to LABEL_MAX characters, and once a metric holds
 * SERIES_MAX series, every new label set is counted under one series whose labels all read
 * `other`.
 */
export const SERIES_MAX = 2000;
export const LABEL_MAX = 128;
const OVERFLOW = 'other';

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')}}`;

const header = (name: string, type: string, help: string) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`];

/**
 * A gauge read at the moment of a scrape (src/observability/scrape.ts), whose samples come
 * from bounded sets named in code (job kinds, channels, states), never from callers.
 */
export function gaugeFamily(name: string, help: string, samples: Array<[Labels, number]>): string[] {
  return [...header(name, 'gauge', help), ...samples.map(([labels, value]) => `${name}${Object.keys(labels).length ? labelText(labels) : ''} ${value}`)];
}

/** The key and labels a sample is kept under in `series` (see SERIES_MAX). */
function admit(series: Map<string, unknown>, labels: Labels): [string, Labels] {
  const cut = Object.values(labels).some((v) => v.length > LABEL_MAX)
    ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v.slice(0, LABEL_MAX)]))
    : labels;
  const key = labelText(cut);
  // One place is kept free for the overflow series itself.
  if (series.has(key) || series.size < SERIES_MAX - 1) return [key, cut];
  const folded = Object.fromEntries(Object.keys(labels).map((k) => [k, OVERFLOW]));
  return [labelText(folded), folded];
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const [key] = admit(this.values, labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string[] {
    return [...header(this.name, 'counter', this.help), ...[...this.values].map(([l, v]) => `${this.name}${l} ${v}`)];
  }
}

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const [key, kept] = admit(this.series, labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: kept, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  render(): string[] {
    const lines = header(this.name, 'histogram', this.help);
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines;
  }
}

class Gauge {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  set(labels: Labels, value: number): void {
    const [key] = admit(this.values, labels);
    this.values.set(key, value);
  }

  render(): string[] {
    return [...header(this.name, 'gauge', this.help), ...[...this.values].map(([l, v]) => `${this.name}${l} ${v}`)];
  }
}

export class Metrics {
  static readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';

  readonly requests = new Counter('rdmc_rpc_requests_total', 'RPC requests answered, by action and error code ("" for success).');
  readonly duration = new Histogram(
    'rdmc_rpc_request_duration_seconds',
    'Time from the request to the answer, by action.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly clientAborts = new Counter('rdmc_client_aborts_total', 'Requests the client abandoned before they were complete (no answer sent).');
  readonly jobs = new Counter('rdmc_jobs_total', 'Background job runs, by kind and outcome (done, continued, retried, failed, lost).');
  readonly clockSkew = new Gauge(
    'rdmc_clock_skew_seconds',
    "This node's clock minus the database's, as last measured (0 where the database is this process's own file).",
  );

  lines(): string[] {
    return [...this.requests.render(), ...this.duration.render(), ...this.clientAborts.render(), ...this.jobs.render(), ...this.clockSkew.render()];
  }
}
