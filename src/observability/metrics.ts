import { Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one rdmc process, served at GET /_rdmc/metrics. A registry per
 * server (not prom-client's global one), so several servers in one process (tests) keep
 * their own counts.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'rdmc_rpc_requests_total',
    help: 'RPC requests answered, by action and error code ("" for success).',
    labelNames: ['action', 'code'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'rdmc_rpc_request_duration_seconds',
    help: 'Time from the request to the answer, by action.',
    labelNames: ['action'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'rdmc_jobs_total',
    help: 'Background job runs, by kind and outcome (done, continued, retried, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
}
