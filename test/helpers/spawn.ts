import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The project root and the built CLI, located from this file inside dist/test/helpers. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The shipped artefact: the bundle `npm run build` makes from dist/src (see README, Layout).
export const CLI = fileURLToPath(new URL('../../rdmc.mjs', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited, with its code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a process with captured output; `detached` puts it in a process group of its own. */
export function start(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; detached?: boolean }): Spawned {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env: opts.env, detached: opts.detached ?? false, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Waits for the log record `"msg":"listening on http://HOST:PORT"` (or `worker listening on …`),
 * logged at level info, and returns the URL; fails if the process exits first.
 */
export function listeningUrl(p: Spawned): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /"msg":"(?:worker )?listening on (https?:\/\/[^" ]+)/.exec(p.stdout());
      if (match) {
        p.child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    p.child.stdout!.on('data', check);
    check();
    void p.exited.then(({ code, signal }) =>
      reject(new Error(`exited (${code ?? signal}) before listening\nstdout: ${p.stdout()}\nstderr: ${p.stderr()}`)),
    );
  });
}

/**
 * The environment of this process without any RDMC_* setting, plus `extra`. The suite's
 * action log (RDMC_TEST_ACTION_LOG, test/action-coverage.ts) is no setting and is kept, so a
 * spawned server records the requests it answers too.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RDMC_') || k === 'RDMC_TEST_ACTION_LOG'));
  return { ...env, ...extra };
}

/** True while any process of the group led by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** This environment for a `node --test` child that reports on its own, not to the runner running this test. */
export function outsideTestRunner(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _ignored, ...env } = process.env;
  return env;
}
