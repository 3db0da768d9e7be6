import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** One metric family as the parser reads it: counters and gauges carry a `value`, histograms `buckets`, `count` and `sum`. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Array<{ labels?: Record<string, string>; value?: string; count?: string; sum?: string; buckets?: Record<string, string> }>;
}

/** The families of a /_rdmc/metrics answer, by name, read by a Prometheus text-format parser (which throws on text Prometheus would refuse). */
export async function scrape(url: string, token?: string): Promise<Map<string, MetricFamily>> {
  const res = await fetch(`${url}/_rdmc/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/_rdmc/metrics answered ${res.status}: ${text}`);
  const families = parsePrometheusTextFormat(text) as MetricFamily[];
  const byName = new Map(families.map((f) => [f.name, f]));
  if (byName.size !== families.length) throw new Error('a metric family appears twice');
  return byName;
}

/** The value of one series of a counter or gauge (every label given must match), or undefined when there is none. */
export function sample(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const series = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return series?.value === undefined ? undefined : Number(series.value);
}
