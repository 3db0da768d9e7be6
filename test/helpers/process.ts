import type { ChildProcess } from 'node:child_process';
import { CLI, listeningUrl, start } from './spawn.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Sends `signal` (SIGKILL for a crash) and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `rdmc serve` (or `rdmc worker`), node itself not npm, on a free loopback port; resolves once it listens. */
export async function spawnServer(args: string[], env: Record<string, string>, command: 'serve' | 'worker' = 'serve'): Promise<ServerProcess> {
  const p = start(process.execPath, [CLI, command, '--host', '127.0.0.1', '--port', '0', ...args], { env: { ...process.env, ...env } });
  const url = await listeningUrl(p);
  return {
    child: p.child,
    url,
    output: () => p.stdout() + p.stderr(),
    async kill(signal = 'SIGTERM') {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
      await p.exited;
    },
  };
}
