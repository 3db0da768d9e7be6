import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { PROJECT_ROOT, start, type Spawned } from './spawn.js';

/** Debian's nginx, which `.ci/run` installs. */
export const NGINX = '/usr/sbin/nginx';
/** The site file docs/operations.md tells operators to copy: the test runs this very text. */
export const NGINX_EXAMPLE = join(PROJECT_ROOT, 'docs/examples/nginx.conf');

/**
 * Whether nginx is here. Outside CI its absence skips `what`, loudly; in CI (which installs
 * it) the test runs and fails, so a green CI cannot hide a proxy left untested.
 */
export function nginxAvailable(what: string): boolean {
  const available = existsSync(NGINX);
  if (!available) console.warn(`\n*** ${NGINX} is missing: ${what} is ${process.env.CI ? 'FAILING (CI installs it)' : 'SKIPPED'} ***\n`);
  return available || Boolean(process.env.CI);
}

export interface Nginx {
  /** The public HTTPS address, and the plain HTTP one that redirects to it. */
  url: string;
  redirectUrl: string;
  stop(): Promise<void>;
}

/** Replaces `from` in the example, which must be there exactly once: an example that drifts from the test fails it. */
function substitute(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`docs/examples/nginx.conf: expected "${from}" once, found it ${parts.length - 1} times`);
  return parts.join(to);
}

/**
 * Runs the documented site in front of rdmc at `upstreamPort`: the example with only its
 * addresses and certificate paths changed, inside a main configuration whose every path is
 * in `dir`. One process in the foreground (no daemon, no workers), stopped by `stop`.
 */
export async function startNginx(dir: string, upstreamPort: number, tls: { certPath: string; keyPath: string }, ports: { https: number; http: number }): Promise<Nginx> {
  let site = await readFile(NGINX_EXAMPLE, 'utf8');
  site = substitute(site, 'server 127.0.0.1:8080;', `server 127.0.0.1:${upstreamPort};`);
  site = substitute(site, 'listen 80;', `listen 127.0.0.1:${ports.http};`);
  site = substitute(site, 'listen 443 ssl;', `listen 127.0.0.1:${ports.https} ssl;`);
  site = substitute(site, '/etc/ssl/rdmc/fullchain.pem', tls.certPath);
  site = substitute(site, '/etc/ssl/rdmc/privkey.pem', tls.keyPath);
  await mkdir(join(dir, 'temp'), { recursive: true });
  await writeFile(join(dir, 'site.conf'), site);
  const temp = (kind: string) => `${kind}_temp_path ${join(dir, 'temp', kind)};`;
  await writeFile(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 64; }',
      'http {',
      `  access_log ${join(dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${temp(k)}`),
      `  include ${join(dir, 'site.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const nginx: Spawned = start(NGINX, ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { env: { PATH: process.env.PATH ?? '' } });
  const stop = async () => {
    if (nginx.child.exitCode === null && nginx.child.signalCode === null) nginx.child.kill('SIGTERM');
    await nginx.exited;
  };
  const errors = async () => `${nginx.stderr()}${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`;
  try {
    await eventually('nginx to listen', async () => {
      if (nginx.child.exitCode !== null) throw new Error(`nginx exited (${nginx.child.exitCode}): ${await errors()}`);
      return new Promise<boolean>((resolve) => {
        const probe = connect(ports.https, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
        probe.once('connect', () => probe.destroy());
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `https://127.0.0.1:${ports.https}`, redirectUrl: `http://127.0.0.1:${ports.http}`, stop };
}
