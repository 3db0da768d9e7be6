import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { adminAccess } from './admin/access.js';
import { LIVENESS, probeRouter, READINESS } from './admin/probes.js';
import { adminRouter } from './admin/routes.js';
import { removeOrphanedScratch } from './storage/scratch.js';
import type { Channels } from './channels/channel.js';
import { smsWebhookChannel } from './channels/sms-webhook.js';
import { smtpChannel } from './channels/smtp.js';
import { consoleApp, wantsConsole } from './console/app.js';
import { CONSOLE } from './console/pages.js';
import { consoleRouter } from './console/routes.js';
import { resolveConfig } from './config/load.js';
import type { Config, ConfigInput } from './config/schema.js';
import { systemClock, type Clock } from './domain/clock.js';
import { randomIds, type IdSource } from './domain/ids.js';
import { JobQueue } from './jobs/queue.js';
import { Worker } from './jobs/worker.js';
import { createLogger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { Credentials } from './protocol/credentials.js';
import { FrontDoor, type Router } from './protocol/front-door.js';
import { writeAnswer } from './protocol/render.js';
import { handleRpc } from './protocol/pipeline.js';
import type { Target } from './protocol/target.js';
import { CallerThrottle } from './protocol/throttle.js';
import { buildServices, type Services } from './services/index.js';
import { OperationsService } from './services/operations.js';
import { parseStateFile, type StateFileInput } from './services/state-file.js';
import { ApiError } from './domain/errors.js';
import { locks } from './services/locks.js';
import { buildTasks } from './services/tasks.js';
import { openStore } from './storage/open.js';
import type { Store } from './storage/store.js';
import { shiftedClock, StoreClock } from './storage/store-clock.js';

/** A request's headers must arrive within this time (or the request timeout, when shorter). */
const HEADERS_TIMEOUT_MS = 10_000;

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  store: Store;
  services: Services;
  log: Logger;
  close(): Promise<void>;
}

export interface Overrides {
  /** The domain's clock (jobs, expiry, rate limits, timestamps of records); tests move it forward. */
  clock?: Clock;
  ids?: IdSource;
  logger?: Logger;
  /**
   * A state file laid down after the bootstrap, creating what is missing (`rdmc serve --init`):
   * checked like one sent to `POST /_rdmc/state`, and the start fails when it is refused.
   */
  initialState?: StateFileInput;
}

/**
 * The one composition root: configuration, store, services, job worker and the HTTP
 * server. The CLI, the tests and the benchmarks all start rdmc through here.
 */
export function startServer(input: ConfigInput = {}, overrides: Overrides = {}): Promise<RunningServer> {
  return start(input, overrides, 'api');
}

/**
 * A node that only works jobs (`rdmc worker`): no API, no bootstrap, and over HTTP only
 * /_rdmc/health. Any number of them can share a PostgreSQL database with API nodes.
 */
export function startWorker(input: ConfigInput = {}, overrides: Overrides = {}): Promise<RunningServer> {
  return start({ ...input, worker: true }, overrides, 'worker');
}

async function start(input: ConfigInput, overrides: Overrides, role: 'api' | 'worker'): Promise<RunningServer> {
  const config = resolveConfig(input);
  const initialState = overrides.initialState === undefined ? undefined : parseStateFile(overrides.initialState);
  if (initialState && 'problems' in initialState) throw new ApiError(400, 'InvalidState', `initialState: ${initialState.problems.join('; ')}`, 'rdmc');
  const ids = overrides.ids ?? randomIds;
  const log = overrides.logger ?? createLogger(config.logLevel);
  const store: Store = await openStore(config, (err) => log.warn({ err }, 'database connection failed outside a request'), {
    lost: (err) => log.error({ err }, 'the database file cannot be written: writes answer 503 ServiceUnavailable until it can'),
    regained: () => log.info('the database file can be written again'),
  });
  const metrics = new Metrics();
  // Every rule nodes share reads the database's time: the node's clock, corrected.
  const storeClock = new StoreClock(store.databaseTime?.bind(store), { maxSkewMs: config.maxClockSkewMs, offsetMs: config.clockOffsetMs }, log, metrics);
  await storeClock.start();
  const clock = storeClock.correct(shiftedClock(overrides.clock ?? systemClock, config.clockOffsetMs));

  const queue = new JobQueue({ mode: config.asyncMode, delayMs: config.asyncDelayMs }, clock);
  const channels: Channels = {};
  if (config.smtpUrl) channels.email = smtpChannel(config.smtpUrl, config.smtpFrom);
  if (config.smsWebhookUrl && config.smsWebhookSecret) channels.sms = smsWebhookChannel(config.smsWebhookUrl, config.smsWebhookSecret);
  // Links name the public address; until the server listens, only a configured one is known.
  let listeningUrl = '';
  const services = buildServices({ store, clock, ids }, queue, {
    contactQuota: config.contactQuota,
    folderQuota: config.folderQuota,
    accountQuota: config.accountQuota,
    tenantListConcurrency: config.tenantListConcurrency,
    channels,
    publicUrl: () => config.publicUrl ?? listeningUrl,
    tokenTtlMs: config.verificationTtlMs,
    jobBatchSize: config.jobBatchSize,
    tenants: () => config.accessKeys.map((k) => k.accountId),
    bootstrapOwner: config.bootstrap ? config.accessKeys[0]!.accountId : null,
  });
  // Copies a process killed mid-download left behind (none of a live process is touched).
  const orphans = await removeOrphanedScratch();
  if (orphans > 0) log.info({ orphans }, 'removed temporary copies left by processes that no longer run');
  try {
    if (role === 'api') await services.state.bootstrap();
    if (role === 'api' && initialState) await services.state.apply(initialState.file);
  } catch (err) {
    // A refused initial state fails the start, and leaves nothing running.
    storeClock.stop();
    await store.close();
    throw err;
  }

  // Known once the front door exists; the worker asks only after it started.
  let requestsInFlight = () => false;
  const worker = new Worker(store, clock, buildTasks(services), log, metrics, {
    owner: `${hostname()}:${process.pid}:${ids.token().slice(0, 8)}`,
    staleLockMs: config.jobStaleLockMs,
    pollMs: 1_000,
    maxAttempts: 10,
    retryBaseMs: config.jobRetryBaseMs,
    bookkeepingLock: locks.jobs,
    retention: {
      outboxMs: config.retentionOutboxMs,
      tokensMs: config.retentionTokensMs,
      failedJobsMs: config.retentionFailedJobsMs,
      everyMs: config.retentionEveryMs,
    },
    requestsWaiting: () => requestsInFlight(),
  });
  // With a database only this process can open, every lock left behind belongs to a dead process.
  if (store.singleProcess) await store.transaction(locks.jobs, (tx) => tx.jobs.releaseAllLocks());
  // Where other processes share the database, their commits wake this worker too.
  const stopListening = config.worker ? await store.listenForJobs?.(() => worker.wake()) : undefined;
  if (config.worker) worker.start();

  const afterAction = async () => {
    // A pass already under way may have cleared the flag for this request's jobs without
    // having finished them yet: in immediate mode, wait for it (drain queues behind it).
    const pending = queue.enqueuedSinceSettle || (queue.settings.mode === 'immediate' && worker.busy);
    if (!pending) return;
    queue.enqueuedSinceSettle = false;
    if (queue.settings.mode !== 'immediate') return worker.wake();
    // The change that enqueued the jobs is committed already: a job that fails is retried
    // and logged, it never turns the caller's answer into an error.
    await worker.drain().catch((err: unknown) => log.error({ err }, 'background jobs failed to run'));
  };

  const credentials = new Credentials(config.accessKeys);
  // Signed timestamps are checked against the wall clock, whatever clock the domain runs on;
  // corrected like the domain's, so that every node accepts and refuses the same timestamps.
  const signingClock = storeClock.correct(shiftedClock(systemClock, config.clockOffsetMs));
  // Throttling runs on the domain's clock, so tests decide when a bucket refills.
  const throttle = new CallerThrottle({ ratePerSecond: config.throttleRate, burst: config.throttleBurst }, () => clock.now());
  const pipelineDeps = { credentials, nonces: store, throttle, services, now: () => signingClock.now(), log, metrics, loose: config.loose, deadlineMs: config.requestDeadlineMs, afterAction };
  const access = adminAccess(config);
  const admin = adminRouter({
    metrics,
    services,
    operations: new OperationsService({ store, clock, ids }, queue, worker),
    defaultAccountId: config.accessKeys[0]!.accountId,
    log,
    access,
    downloadStallMs: config.downloadStallMs,
    afterAction,
  });

  const verifyConsole = consoleRouter(services.verification, log);
  const webConsole = consoleApp(services, access, log);

  const rpc: Router = (req, res, target, requestId) => handleRpc(req, res, target, requestId, pipelineDeps);
  // A browser opening `/` is sent on to the console; API callers get their RPC answer.
  const root: Router = async (req, res, target, requestId) => {
    if (!wantsConsole(req, target)) return rpc(req, res, target, requestId);
    writeAnswer(res, 303, { location: CONSOLE, 'x-acs-request-id': requestId }, '');
  };
  const probes = probeRouter({ ready: () => store.probe(), warnings: () => (storeClock.skewed ? ['clock-skew'] : []) });
  // A worker node serves its health check and the probes only.
  const route = ({ path }: Target): Router | null => {
    if (path === LIVENESS || path === READINESS) return probes;
    if (role === 'worker') return path === '/_rdmc/health' ? admin : null;
    if (path === '/') return root;
    if (path === CONSOLE || path.startsWith(`${CONSOLE}/`)) return webConsole;
    if (path.startsWith('/_rdmc/')) return admin;
    if (path.startsWith('/verify/')) return verifyConsole;
    return null;
  };
  const frontDoor = new FrontDoor({ route, requestId: () => ids.requestId(), log, metrics });
  requestsInFlight = () => frontDoor.busy;
  // Without a Host header Node would answer a bare 400 itself: rdmc answers in its envelope
  // (v1 signatures do not cover Host; v3 ones sign it, so it is checked there).
  // Slow clients are timed out (Node checks its connections once per interval; its default,
  // 30 s, would let a 1 s limit run to 31 s).
  const server: Server = createServer(
    { requireHostHeader: false, connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs) },
    frontDoor.onRequest,
  );
  // A connection that trickles its headers or body holds a socket and a file descriptor:
  // each gets a deadline, and the number of connections a cap.
  server.requestTimeout = config.requestTimeoutMs;
  server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, config.requestTimeoutMs);
  server.maxConnections = config.maxConnections;
  server.on('clientError', frontDoor.onClientError);
  // Idle keep-alive connections stay open longer than clients keep theirs (SDK agents and
  // load balancers idle for up to a minute): a server that closes first races the client's
  // next request on that socket, which the client sees as ECONNRESET. Shutdown closes idle
  // connections itself, so a long timeout never delays a stop.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  listeningUrl = `http://${displayHost}:${port}`;

  return {
    url: listeningUrl,
    port,
    config,
    store,
    services,
    log,
    async close() {
      // Requests in flight finish first (within the grace period): none meets a closed store.
      await frontDoor.close(server, config.shutdownGraceMs);
      await stopListening?.();
      await worker.stop();
      storeClock.stop();
      await store.close();
      await Promise.all(Object.values(channels).map((c) => c.close()));
    },
  };
}
