import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { GeneratorReply, Scenario, ScenarioResult } from './generator.js';

const GENERATOR = fileURLToPath(new URL('./generator.js', import.meta.url));

/** The orchestrator's handle on the load generator process: one scenario at a time. */
export class LoadGenerator {
  private nextId = 1;

  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadGenerator {
    return new LoadGenerator(fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  async run(scenario: Scenario): Promise<ScenarioResult> {
    return this.start(scenario).result;
  }

  /**
   * Measures while `during` runs: the load starts (warm-up first), `during` is awaited, and
   * the measured phase ends with it. `durationMs` is only the upper bound.
   */
  async during<T>(scenario: Scenario, during: () => Promise<T>): Promise<{ load: ScenarioResult; value: T }> {
    const run = this.start(scenario);
    try {
      const value = await during();
      this.child.send({ id: run.id, stop: true });
      return { load: await run.result, value };
    } catch (err) {
      this.child.send({ id: run.id, stop: true });
      await run.result.catch(() => undefined);
      throw err;
    }
  }

  private start(scenario: Scenario): { id: number; result: Promise<ScenarioResult> } {
    const id = this.nextId++;
    const reply = new Promise<ScenarioResult>((resolve, reject) => {
      const onMessage = (m: GeneratorReply) => {
        if (m.id !== id) return;
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (m.result) resolve(m.result);
        else reject(new Error(`load generator failed: ${m.error}`));
      };
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
    this.child.send({ id, scenario });
    return { id, result: reply };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    await exited;
  }
}
