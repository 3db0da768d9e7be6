import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The built CLI, run with node itself (not through npm), as an operator's service manager would. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Sends `signal` (SIGKILL for a crash) and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `rdmc serve` (or `rdmc worker`) in a child process and resolves once it prints its listening line. */
export async function spawnServer(args: string[], env: Record<string, string>, command: 'serve' | 'worker' = 'serve'): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, command, '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`rdmc exited with ${code} before listening:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
