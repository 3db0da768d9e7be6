import { setTimeout as sleep } from 'node:timers/promises';
import { send, type HttpRequest } from '../load/http.js';
import { freePort, spawnTarget, type Target } from './process.js';

/** How to start one kind of server and what its first real request is. */
export interface TargetSpec {
  name: string;
  command: string;
  args(port: number): string[];
  env?: Record<string, string>;
  /** The request whose first 200 marks the server as answering (built fresh per attempt). */
  probe(host: string): HttpRequest;
}

export interface Launched {
  target: Target;
  /** From just before spawn to the first 200 answer of the probe. */
  coldStartMs: number;
}

const POLL_GAP_MS = 2;

/**
 * Starts the server on a port picked beforehand and fires the probe until it answers 200.
 * Port 0 plus a "listening" line would be simpler, but it would time the log line rather
 * than the first answered request, which is what a caller waiting on a cold server sees.
 */
export async function launch(spec: TargetSpec, timeoutMs = 60_000): Promise<Launched> {
  const port = await freePort();
  const base = new URL(`http://127.0.0.1:${port}`);
  const started = performance.now();
  const spawned = spawnTarget(spec.name, spec.command, spec.args(port), spec.env);
  const target: Target = { ...spawned, url: base.origin };
  for (;;) {
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null || spawned.pid < 0) {
      await spawned.stop();
      throw new Error(`${spec.name} exited before answering:\n${spawned.output()}`);
    }
    try {
      const res = await send(base, spec.probe(base.host));
      if (res.status === 200) return { target, coldStartMs: performance.now() - started };
      throw new Error(`${spec.name} answered its first request with ${res.status}: ${res.body.slice(0, 300)}`);
    } catch (err) {
      // Refused connections are the expected state until the server listens.
      if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED' && (err as NodeJS.ErrnoException).code !== 'ECONNRESET') {
        await spawned.stop();
        throw err;
      }
    }
    if (performance.now() - started > timeoutMs) {
      await spawned.stop();
      throw new Error(`${spec.name} did not answer within ${timeoutMs} ms:\n${spawned.output()}`);
    }
    await sleep(POLL_GAP_MS);
  }
}
