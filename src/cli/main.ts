#!/usr/bin/env node
import { ConfigError, loadConfig } from '../config/load.js';
import { DEFAULT_ACCESS_KEY } from '../config/schema.js';
import { startServer, startWorker, type RunningServer } from '../server.js';
import { describeDb, isPostgresUrl } from '../storage/open.js';

const USAGE = `usage: rdmc serve [--host H] [--port P] [--db PATH|:memory:|postgres://...] [--pg-pool-size N]
                  [--no-bootstrap] [--no-worker] [--async-mode immediate|manual|delay] [--async-delay-ms N]
                  [--contact-quota N] [--log-level LEVEL] [--loose]
       rdmc worker [--host H] [--port P] --db postgres://... [--pg-pool-size N] [--log-level LEVEL]
                  (jobs only; answers GET /_rdmc/health on H:P)
Environment: RDMC_HOST, RDMC_PORT, RDMC_DB, RDMC_PG_POOL_SIZE, RDMC_ACCESS_KEYS=id:secret:account[,...],
             RDMC_ASYNC_MODE, RDMC_ASYNC_DELAY_MS, RDMC_CONTACT_QUOTA, RDMC_JOB_BATCH_SIZE, RDMC_JOB_STALE_LOCK_MS,
             RDMC_JOB_RETRY_BASE_MS, RDMC_ADMIN_TOKEN, RDMC_LOG_LEVEL, RDMC_LOOSE, RDMC_WORKER, RDMC_PUBLIC_URL,
             RDMC_SMTP_URL, RDMC_SMTP_FROM, RDMC_SMS_WEBHOOK_URL, RDMC_SMS_WEBHOOK_SECRET, RDMC_VERIFICATION_TTL_MS
(README.md, Configuration, describes each)`;

async function serve(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env);
  const server = await startServer(config);
  const usingDefaultKey = !process.env.RDMC_ACCESS_KEYS;
  if (usingDefaultKey) {
    console.log(
      `rdmc: no RDMC_ACCESS_KEYS set; using the well-known development key ` +
        `AccessKeyId=${DEFAULT_ACCESS_KEY.accessKeyId} AccessKeySecret=${DEFAULT_ACCESS_KEY.accessKeySecret} ` +
        `(account ${DEFAULT_ACCESS_KEY.accountId})`,
    );
  }
  console.log(`rdmc: database ${describeDb(config.db)}; async mode ${config.asyncMode}; worker ${config.worker ? 'on' : 'off'}`);
  console.log(`rdmc listening on ${server.url}`);
  closeOnSignals(server);
}

async function worker(argv: string[]): Promise<void> {
  const config = loadConfig(argv, process.env);
  // A SQLite file belongs to one process, which runs its own worker: `rdmc serve`.
  if (!isPostgresUrl(config.db)) throw new ConfigError(['db: rdmc worker needs a shared database, a postgres:// URL']);
  const server = await startWorker(config);
  console.log(`rdmc worker: database ${describeDb(config.db)}`);
  console.log(`rdmc worker listening on ${server.url} (health only)`);
  closeOnSignals(server);
}

/** SIGINT and SIGTERM let running jobs finish their batch and close the database cleanly. */
function closeOnSignals(server: RunningServer): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    server.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err) => {
        server.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'serve':
      return serve(rest);
    case 'worker':
      return worker(rest);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      console.error(`rdmc: unknown command "${command}"\n${USAGE}`);
      process.exit(2);
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`rdmc: ${err.message}`);
  else console.error('rdmc: failed to start:', err);
  process.exit(1);
});
