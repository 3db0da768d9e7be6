#!/usr/bin/env node
import { constants as osConstants } from 'node:os';
import { ConfigError, loadConfig } from '../config/load.js';
import { developmentKeysIn, settingsHelp } from '../config/settings.js';
import { internals } from '../facade/internals.js';
import { startServer, startWorker, type RunningNode } from '../server.js';
import { describeDb, isPostgresUrl } from '../storage/open.js';
import { RpcError } from '../client/rpc.js';
import { ApiError } from '../domain/errors.js';
import { call, CALL_USAGE, UsageError } from './call.js';
import { backup, BACKUP_USAGE, EXPORT_USAGE, exportState, IMPORT_USAGE, importState } from './state-commands.js';
import { jobs, JOBS_USAGE, outbox, OUTBOX_USAGE } from './redrive-commands.js';
import { readStateFile } from './state-io.js';
import { simulate, SIMULATE_USAGE } from './simulate-command.js';
import { time, TIME_USAGE } from './time-commands.js';
import { tls, TLS_USAGE } from './tls-commands.js';
import { packageVersion } from './version.js';

const settingsPart = (command: 'serve' | 'worker') => `Settings (a flag wins over its variable, which wins over the default):\n${settingsHelp(command)}`;

/** The exit code of every usage error, whichever the command: an unknown command, flag or setting value. */
const EXIT_USAGE = 2;

interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number | void>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'run the API, the admin API (/_rdmc/) and the web console',
    usage:
      `usage: rdmc serve [--init FILE] [flags]\n\nServes the API on http://HOST:PORT; a browser opening / gets the console.\n\n` +
      `  --init FILE  A state file (JSON or YAML, as rdmc export writes) laid down at start: what it\n` +
      `               describes and the database lacks is created; what exists is left as it is.\n\n${settingsPart('serve')}`,
    run: serve,
  },
  worker: {
    summary: 'run background jobs only, on a shared PostgreSQL database',
    usage: `usage: rdmc worker --db postgres://... [flags]

Works jobs only; over HTTP it answers the health checks and GET /_rdmc/metrics on HOST:PORT.

${settingsPart('worker')}`,
    run: worker,
  },
  call: {
    summary: 'call one API action, signed, and print the JSON answer',
    usage: CALL_USAGE,
    run: (argv) => call(argv, process.env),
  },
  export: { summary: "write the server's directories, accounts and contacts as a state file", usage: EXPORT_USAGE, run: (argv) => exportState(argv, process.env) },
  import: { summary: "replace the server's state with a state file", usage: IMPORT_USAGE, run: (argv) => importState(argv, process.env) },
  backup: { summary: "copy the server's SQLite database while it runs", usage: BACKUP_USAGE, run: (argv) => backup(argv, process.env) },
  tls: { summary: "print the local certificate authority's certificate (rdmc tls ca)", usage: TLS_USAGE, run: (argv) => tls(argv, process.env) },
  jobs: { summary: 'retry background jobs that failed for good (rdmc jobs retry)', usage: JOBS_USAGE, run: (argv) => jobs(argv, process.env) },
  outbox: { summary: 'send deliveries that failed for good again (rdmc outbox retry)', usage: OUTBOX_USAGE, run: (argv) => outbox(argv, process.env) },
  time: { summary: "print the server's clock, or move it forward (rdmc time advance 24h)", usage: TIME_USAGE, run: (argv) => time(argv, process.env) },
  simulate: { summary: "ask whether an account's control policies allow an action (rdmc simulate ACCOUNT_ID ecs:DeleteInstance)", usage: SIMULATE_USAGE, run: (argv) => simulate(argv, process.env) },
};

/** Takes `--init FILE` (or `--init=FILE`) out of the arguments: the settings parser knows only settings. */
function takeInit(argv: string[]): { rest: string[]; init: string | undefined } {
  const rest: string[] = [];
  let init: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--init') {
      init = argv[++i];
      if (init === undefined) throw new ConfigError(['--init: needs a value']);
    } else if (arg.startsWith('--init=')) init = arg.slice('--init='.length);
    else rest.push(arg);
  }
  return { rest, init };
}

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  rdmc ${name.padEnd(width)}  ${c.summary}`);
  return `usage: rdmc <command> [flags]\n\n${lines.join('\n')}\n\n  rdmc <command> --help   flags and settings of one command\n  rdmc --version          the installed version`;
}

async function serve(argv: string[]): Promise<void> {
  const { rest, init } = takeInit(argv);
  const config = loadConfig(rest, process.env, 'serve');
  const initialState = init === undefined ? undefined : await readStateFile(init);
  const server = await startServer(config, { initialState });
  const { log } = internals(server);
  // Start-up facts are log records like any other: JSON on the log stream, at their level.
  for (const key of developmentKeysIn(config.accessKeys)) {
    const who = 'userName' in key ? `RAM user ${key.userName} of account ${key.accountId}` : `account ${key.accountId}`;
    log.warn(
      { accessKeyId: key.accessKeyId, accountId: key.accountId },
      `using the well-known development key AccessKeyId=${key.accessKeyId} AccessKeySecret=${key.accessKeySecret} ` +
        `(${who}); set RDMC_ACCESS_KEYS for anything but local development`,
    );
  }
  if (config.timeTravel) {
    log.warn(
      { timeTravel: true },
      'time travel is on (RDMC_TIME_TRAVEL): anyone with admin access can move this node\'s clock, expiring links and sessions and pruning the audit trail; for tests only',
    );
  }
  log.info({ db: describeDb(config.db), asyncMode: config.asyncMode, worker: config.worker }, `database ${describeDb(config.db)}`);
  logListening(server, 'listening on');
  closeOnSignals(server);
}

async function worker(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env, 'worker');
  // A SQLite file belongs to one process, which runs its own worker: `rdmc serve`.
  if (!isPostgresUrl(config.db)) throw new ConfigError(['db (--db, RDMC_DB): rdmc worker needs a shared database, a postgres:// URL']);
  const server = await startWorker(config);
  const { log } = internals(server);
  log.info({ db: describeDb(config.db), role: 'worker' }, `database ${describeDb(config.db)}`);
  logListening(server, 'worker listening on', { role: 'worker' }, ' (health and metrics)');
  closeOnSignals(server);
}

/** One record per address the node serves (HTTP, HTTPS), at info, the address in `url`. */
function logListening(server: RunningNode, what: string, fields: object = {}, after = ''): void {
  const urls = server.https && server.https.url !== server.url ? [server.url, server.https.url] : [server.url];
  const { log } = internals(server);
  for (const url of urls) log.info({ ...fields, url }, `${what} ${url}${after}`);
}

/**
 * SIGINT and SIGTERM let requests in flight and running jobs finish (within the grace
 * period) and close the database cleanly; a second one, from someone who will not wait,
 * exits at once with 128 + the signal's number, cutting what is still in flight.
 */
function closeOnSignals(server: RunningNode): void {
  const { log, config } = internals(server);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    const requests = server.requestsInFlight();
    if (closing) {
      log.warn({ signal, requests }, `second ${signal}: exiting now, cutting ${requests} request${requests === 1 ? '' : 's'} in flight`);
      process.exit(128 + osConstants.signals[signal]);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    if (requests > 0) {
      const graceMs = config.shutdownGraceMs;
      log.info(
        { requests, graceMs },
        `waiting for ${requests} request${requests === 1 ? '' : 's'} in flight to finish (at most ${graceMs} ms); ${signal} again exits at once`,
      );
    }
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(): Promise<number | void> {
  const [name, ...rest] = process.argv.slice(2);
  if (name === '--version' || name === '-v' || name === 'version') return console.log(packageVersion());
  if (name === undefined || name === '--help' || name === '-h') return console.log(overview());
  if (name === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    return console.log(topic ? topic.usage : overview());
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`rdmc: unknown command "${name}"\n${overview()}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) return console.log(command.usage);
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof RpcError) {
      console.error(err.message);
      return 1;
    }
    if (err instanceof TypeError && (err as { cause?: { code?: string } }).cause?.code) {
      console.error(`rdmc ${name}: cannot reach the server (${(err as { cause: { code: string } }).cause.code}); is rdmc serve running there?`);
      return 1;
    }
    if (!(err instanceof UsageError)) throw err;
    console.error(`rdmc ${name}: ${err.message}`);
    return EXIT_USAGE;
  }
}

// Errors a user can act on are printed as one message, never as a stack trace. A bad
// command line or setting is a usage error, EXIT_USAGE like every command's; a start that
// fails (the port taken, the database out of reach) exits 1.
main().then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`rdmc: ${err.message}`);
      process.exit(EXIT_USAGE);
    }
    if (err instanceof ApiError) console.error(`rdmc: failed to start: ${err.code}: ${err.message}`);
    else console.error(`rdmc: failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
