import type { Registry } from 'prom-client';

let registry: Promise<Registry> | null = null;

/**
 * prom-client's default metrics of this process (CPU, memory, heap, event-loop delay, garbage
 * collection, handles, file descriptors, start time), under their usual names so stock Node.js
 * dashboards read them. One registry per process, however many servers it runs (tests), since
 * these describe the process. Loaded at the first scrape, not at start-up (see metrics.ts):
 * the event-loop and garbage-collection series count from then on.
 */
export function processMetrics(): Promise<string> {
  registry ??= import('prom-client').then(({ Registry, collectDefaultMetrics }) => {
    const r = new Registry();
    collectDefaultMetrics({ register: r });
    return r;
  });
  return registry.then((r) => r.metrics());
}
