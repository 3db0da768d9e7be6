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
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect();
    await exited;
  }
}
