import type { Store } from '../storage/store.js';
import { packageVersion } from '../cli/version.js';
import type { ClusterGauges } from './cluster-gauges.js';
import { gaugeFamily, type Metrics } from './metrics.js';
import { processMetrics } from './process-metrics.js';

export interface ScrapeSources {
  /** This node's counters. */
  metrics: Metrics;
  /** What the shared database holds. */
  cluster: ClusterGauges;
  store: Store;
  /** What this node is: `api` (rdmc serve) or `worker` (rdmc worker). */
  role: 'api' | 'worker';
}

/**
 * The text of GET /_rdmc/metrics: this node's counters and gauges (`rdmc_*` but
 * `rdmc_cluster_*`), the cluster's gauges, and the process's own metrics (prom-client's
 * defaults). docs/operations.md, Metrics, lists every series and says which is which.
 */
export function scraper(sources: ScrapeSources): () => Promise<string> {
  const build: Record<string, string> = { version: packageVersion(), role: sources.role, store: sources.store.dialect, nodejs: process.version };
  return async () => {
    const [cluster, processText] = await Promise.all([sources.cluster.render(), processMetrics()]);
    const use = sources.store.connections();
    return [
      ...sources.metrics.lines(),
      ...gaugeFamily('rdmc_build_info', 'What this node runs: rdmc version, role (api: rdmc serve, worker: rdmc worker), store and Node.js version. Always 1.', [[build, 1]]),
      ...gaugeFamily('rdmc_store_connections', "This node's open connections to the database by state (idle, busy): its PostgreSQL pool, or SQLite's one connection.", [
        [{ state: 'idle' }, use.open - use.busy],
        [{ state: 'busy' }, use.busy],
      ]),
      ...gaugeFamily('rdmc_store_connections_max', "The most connections this node's pool opens (RDMC_PG_POOL_SIZE; 1 on SQLite).", [[{}, use.max]]),
      ...gaugeFamily('rdmc_store_waiting', "This node's units of work (requests, job batches, probes) waiting for a connection, or on SQLite for their turn on the one connection.", [[{}, use.waiting]]),
      ...cluster,
      processText,
    ].join('\n');
  };
}
