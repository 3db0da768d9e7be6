import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';

/** A server the bench started; `stop()` is safe to call twice and after the process died. */
export interface Target {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

// Every child the bench starts is remembered, so a failure anywhere still stops them all.
const started = new Set<Target>();

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Spawns `command` in its own process group (pyenv shims and similar wrappers may leave a
 * grandchild behind; the group lets us stop both by the one ID we started) and keeps
 * reading its output so a chatty server never blocks on a full pipe.
 */
export function spawnTarget(name: string, command: string, args: string[], env: Record<string, string> = {}): Omit<Target, 'url'> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // A spawn failure (ENOENT) must reject the readiness wait, not crash the bench.
  child.on('error', () => undefined);
  const target: Target = {
    name,
    url: '',
    pid: child.pid ?? -1,
    child,
    output: () => output,
    stop: () => stopChild(child).finally(() => started.delete(target)),
  };
  started.add(target);
  return target;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
  // Whatever the group leader left behind in its group goes too.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Resolves with the first match of `pattern` in the target's output; rejects if it exits first. */
export function waitForOutput(target: Omit<Target, 'url'>, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(target.output());
      if (m) finish(() => resolve(m));
    };
    const onExit = (code: number | null) => finish(() => reject(new Error(`${target.name} exited (${code}) before it was ready:\n${target.output()}`)));
    const onError = (err: Error) => finish(() => reject(new Error(`${target.name} could not start: ${err.message}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`${target.name} not ready after ${timeoutMs} ms:\n${target.output()}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      target.child.stdout!.off('data', check);
      target.child.stderr!.off('data', check);
      target.child.off('exit', onExit);
      target.child.off('error', onError);
      settle();
    };
    target.child.stdout!.on('data', check);
    target.child.stderr!.on('data', check);
    target.child.once('exit', onExit);
    target.child.once('error', onError);
    check();
  });
}

// Temporary folders and the like, removed even when a signal cuts the run short.
const leftovers = new Set<() => Promise<void>>();

/** Registers `fn` to run at the end (or on interruption); returns it wrapped to run once. */
export function atEnd(fn: () => Promise<void>): () => Promise<void> {
  const once = async () => {
    if (!leftovers.delete(once)) return;
    await fn();
  };
  leftovers.add(once);
  return once;
}

/** Stops every target still running, then clears the leftovers (the orchestrator's `finally` and signal handlers). */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((t) => t.stop()));
  await Promise.all([...leftovers].map((fn) => fn()));
}

/** A loopback port that was free a moment ago, for servers that cannot be told port 0. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resident memory of a process in bytes (VmRSS in /proc/<pid>/status); null where there is no /proc. */
export async function rssBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// Linux reports CPU times in clock ticks; 100 per second on every mainstream build.
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; null where there is no /proc. */
export async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Runs `fn` and reports how busy each process was meanwhile, in % of one core. */
export async function cpuUse<T>(pids: number[], fn: () => Promise<T>): Promise<{ value: T; percent: Array<number | null> }> {
  const before = await Promise.all(pids.map(cpuSeconds));
  const started = performance.now();
  const value = await fn();
  const seconds = (performance.now() - started) / 1000;
  const after = await Promise.all(pids.map(cpuSeconds));
  const percent = pids.map((_, i) => {
    const a = before[i];
    const b = after[i];
    return a === null || a === undefined || b === null || b === undefined ? null : ((b - a) / seconds) * 100;
  });
  return { value, percent };
}
