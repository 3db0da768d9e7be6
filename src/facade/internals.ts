import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Services } from '../services/index.js';
import type { Store } from '../storage/store.js';
import type { RunningNode } from './types.js';

/**
 * What a running node is made of, for the CLI and the project's own tests and benchmarks:
 * never part of the package's types (src/index.ts does not export it), so its parts can
 * change without breaking a user.
 */
export interface NodeInternals {
  config: Config;
  store: Store;
  services: Services;
  log: Logger;
}

const parts = new WeakMap<RunningNode, NodeInternals>();

export function registerInternals(node: RunningNode, inside: NodeInternals): void {
  parts.set(node, inside);
}

export function internals(node: RunningNode): NodeInternals {
  const inside = parts.get(node);
  if (!inside) throw new Error('not a node started by startServer or startWorker');
  return inside;
}
