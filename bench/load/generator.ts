import { Agent } from 'node:http';
import { send } from './http.js';
import { summarize, type LatencySummary } from './stats.js';
import { operationFor, type Operation, type Workload } from './workloads.js';

/**
 * The load generator, run in its own process (forked by the orchestrator, IPC messages in
 * and out) so its CPU use is not mixed into the orchestrator's timers, and so a server in
 * the same process could never be flattered by a shared event loop.
 */

export interface Scenario {
  url: string;
  workload: Workload;
  inFlight: number;
  warmupMs: number;
  durationMs: number;
}

export interface ScenarioResult {
  operations: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  perSecond: number;
  latencyMs: LatencySummary;
}

/** A scenario to run, or the order to end the measured phase of a running one now. */
export type GeneratorRequest = { id: number; scenario: Scenario } | { id: number; stop: true };
export type GeneratorReply = { id: number; result?: ScenarioResult; error?: string };

interface Phase {
  samples: number[];
  errors: number;
  firstError: string | null;
}

/** Scenarios whose measured phase the orchestrator ended early (it measures "during" something). */
const stopped = new Set<number>();

/** `inFlight` slots each repeat the operation back to back until `until` (or a stop). */
async function phase(operation: Operation, sendOn: Parameters<Operation>[0], inFlight: number, until: number, id = 0): Promise<Phase> {
  const result: Phase = { samples: [], errors: 0, firstError: null };
  const slot = async () => {
    while (performance.now() < until && !stopped.has(id)) {
      const started = performance.now();
      try {
        await operation(sendOn);
        result.samples.push(performance.now() - started);
      } catch (err) {
        result.errors++;
        result.firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, slot));
  return result;
}

export async function runScenario(scenario: Scenario, id = 0): Promise<ScenarioResult> {
  const base = new URL(scenario.url);
  // One keep-alive socket per slot, as a pooled SDK client would hold them.
  const agent = new Agent({ keepAlive: true, maxSockets: scenario.inFlight });
  const operation = operationFor(scenario.workload, base.host);
  const sendOn = (req: Parameters<typeof send>[1]) => send(base, req, agent);
  try {
    await phase(operation, sendOn, scenario.inFlight, performance.now() + scenario.warmupMs);
    const started = performance.now();
    const measured = await phase(operation, sendOn, scenario.inFlight, started + scenario.durationMs, id);
    // Until the last slot finished: operations still in flight at the deadline count in full.
    const seconds = (performance.now() - started) / 1000;
    return {
      operations: measured.samples.length,
      errors: measured.errors,
      firstError: measured.firstError,
      seconds,
      perSecond: measured.samples.length / seconds,
      latencyMs: summarize(measured.samples),
    };
  } finally {
    agent.destroy();
  }
}

process.on('message', (message: GeneratorRequest) => {
  if ('stop' in message) {
    stopped.add(message.id);
    return;
  }
  runScenario(message.scenario, message.id).then(
    (result) => process.send!({ id: message.id, result } satisfies GeneratorReply),
    (err: unknown) => process.send!({ id: message.id, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies GeneratorReply),
  );
});
// The orchestrator going away (even killed) closes the channel: leave with it.
process.on('disconnect', () => process.exit(0));
