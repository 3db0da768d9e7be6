import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';

const run = promisify(execFile);
const BIN = process.env.RDMC_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of a test's own, on a free loopback port, in a temporary folder: one
 * the test may stop, crash and restart (the shared server at 5432 is never touched). initdb
 * refuses to run as root, so as root (CI) it runs as the `postgres` user.
 */
export interface PgCluster {
  /** A database URL on it (database `postgres`, user `postgres`, no password). */
  url: string;
  port: number;
  /** `pg_ctl stop`: `fast` ends sessions with 57P01; `immediate` is a crash (recovery on the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** A fresh database on it, for one test; its URL. */
  createDatabase(): Promise<string>;
  /** Stops it (if running) and deletes its folder. */
  remove(): Promise<void>;
}

/** Whether this machine can run a cluster of a test's own (PostgreSQL 15 installed). */
export async function canRunClusters(): Promise<boolean> {
  return run(`${BIN}/pg_ctl`, ['--version']).then(
    () => true,
    () => false,
  );
}

const asRoot = process.getuid?.() === 0;
/** Runs a PostgreSQL tool, as the `postgres` user when this process is root. */
const tool = (name: string, args: string[]) =>
  asRoot ? run('runuser', ['-u', 'postgres', '--', `${BIN}/${name}`, ...args]) : run(`${BIN}/${name}`, args);

export async function createPgCluster(): Promise<PgCluster> {
  const folder = await mkdtemp(join(tmpdir(), 'rdmc-pg-'));
  if (asRoot) await chown(folder, ...(await postgresIds()));
  const data = join(folder, 'data');
  const port = await freePort();
  await tool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  // Its socket in its own folder, TCP on loopback only, small: a test cluster holds little.
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${folder} -c shared_buffers=16MB -c max_connections=60`;
  let running = false;
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await tool('pg_ctl', ['start', '-w', '-D', data, '-l', join(folder, 'log'), '-o', options]);
      running = true;
    },
    async stop(mode) {
      await tool('pg_ctl', ['stop', '-w', '-D', data, '-m', mode]);
      running = false;
    },
    async createDatabase() {
      const name = `rdmc_t_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return cluster.url.replace(/\/postgres$/, `/${name}`);
    },
    async remove() {
      if (running) await cluster.stop('immediate').catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
  return cluster;
}

async function postgresIds(): Promise<[number, number]> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}
