import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { adminAccess } from './admin/access.js';
import { notingIds } from './audit/targets.js';
import { AuditTrail } from './audit/trail.js';
import { LIVENESS, probeRouter, READINESS } from './admin/probes.js';
import { adminRouter } from './admin/routes.js';
import { TimeControl } from './admin/time.js';
import { inProcessAdmin } from './facade/admin.js';
import { boundClient } from './facade/client.js';
import { registerInternals } from './facade/internals.js';
import { readStateInput } from './facade/state-input.js';
import type { AdminApi, RunningNode, RunningServer } from './facade/types.js';
import { removeOrphanedScratch } from './storage/scratch.js';
import type { Channels } from './channels/channel.js';
import { smsWebhookChannel } from './channels/sms-webhook.js';
import { smtpChannel } from './channels/smtp.js';
import { consoleApp, wantsConsole } from './console/app.js';
import { CONSOLE } from './console/pages.js';
import { consoleRouter } from './console/routes.js';
import { LoginAttempts } from './console/login-attempts.js';
import { ConsoleSessions } from './console/sessions.js';
import { resolveConfig } from './config/load.js';
import type { Config, ConfigInput } from './config/schema.js';
import { systemClock, type Clock } from './domain/clock.js';
import { errors } from './domain/errors.js';
import { randomIds, type IdSource } from './domain/ids.js';
import { AdvancingClock } from './domain/advancing-clock.js';
import { parseTrustedServices } from './domain/trusted-services.js';
import { JobQueue } from './jobs/queue.js';
import { Worker } from './jobs/worker.js';
import { createLogger } from './observability/logger.js';
import { ClusterGauges } from './observability/cluster-gauges.js';
import { Metrics } from './observability/metrics.js';
import { scraper } from './observability/scrape.js';
import { configuredIdentities, Credentials } from './protocol/credentials.js';
import { FrontDoor, type Router } from './protocol/front-door.js';
import { Listeners, type BoundListeners } from './protocol/listeners.js';
import { renderError, writeAnswer } from './protocol/render.js';
import { handleRpc } from './protocol/pipeline.js';
import type { Target } from './protocol/target.js';
import { CallerThrottle } from './protocol/throttle.js';
import { buildServices, type Services } from './services/index.js';
import { OperationsService } from './services/operations.js';
import type { StateFile, StateFileInput } from './services/state-file.js';
import { locks } from './storage/locks.js';
import { buildTasks } from './services/tasks.js';
import { openStore } from './storage/open.js';
import { OutageLog } from './storage/outage.js';
import { untilReachable, type StartPatience } from './storage/start-retries.js';
import type { Store } from './storage/store.js';
import { shiftedClock, StoreClock } from './storage/store-clock.js';
import { StoreUnavailable } from './storage/unavailable.js';
import { tlsMaterial } from './tls/material.js';

export type { RunningNode, RunningServer } from './facade/types.js';

export interface Overrides {
  /** The domain's clock (jobs, expiry, rate limits, timestamps of records): a `ManualClock` lets a test move it. */
  clock?: Clock;
  /** @internal The project's own tests only: left out of the published types (`stripInternal`). */
  ids?: IdSource;
  logger?: Logger;
  /**
   * A state file laid down after the bootstrap, creating what is missing (`rdmc serve --init`):
   * an object, or the path of a JSON or YAML file, checked as `rdmc import` checks one; the
   * start fails when it is refused.
   */
  initialState?: StateFileInput | string;
  /** Called once the server listens: after the store opened, or at once when the database is out of reach at start (it answers 503 and "not ready" until it opens). */
  onListening?: (url: string) => void;
}

/**
 * The one composition root: configuration, store, services, job worker and the HTTP
 * server. The CLI, the tests and the benchmarks all start rdmc through here.
 */
export async function startServer(input: ConfigInput = {}, overrides: Overrides = {}): Promise<RunningServer> {
  const { node, config, admin } = await start(input, overrides, 'api');
  const key = config.accessKeys[0]!;
  const credentials = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, accountId: key.accountId };
  const server: RunningServer = Object.assign(node, {
    credentials,
    client: boundClient({ endpoint: node.url, accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret }),
    admin,
  });
  return server;
}

/**
 * A node that only works jobs (`rdmc worker`): no API, no bootstrap, and over HTTP only
 * /_rdmc/health and /_rdmc/metrics. Any number of them can share a PostgreSQL database with API nodes.
 */
export async function startWorker(input: ConfigInput = {}, overrides: Overrides = {}): Promise<RunningNode> {
  return (await start({ ...input, worker: true }, overrides, 'worker')).node;
}

/** What a node serves once its store is open, and what it starts and stops with it. */
interface Node {
  store: Store;
  services: Services;
  route: (target: Target) => Router | null;
  /** The admin API in process (what `startServer` hands out; a worker's goes unused). */
  admin: AdminApi;
  /** What readiness reports beside its status (a clock out of step with the database's). */
  warnings: () => string[];
  /** Starts the job worker and its wake-ups: only once the server listens, so no work delays that. */
  startWork(): Promise<void>;
  /** Stops the worker and closes the store and the channels. */
  close(): Promise<void>;
}

/** Until the store is open, every request but the probes gets 503 ServiceUnavailable, which clients retry. */
const notReady: Router = async (req, res, _target, requestId) =>
  renderError(res, requestId, req.headers.host ?? 'rdmc', errors.serviceUnavailable(), 'JSON');

/**
 * Opens the store, then listens, then starts the job worker (so nothing it does, retention
 * pruning say, delays listening). A database out of reach at start (PostgreSQL down or
 * starting up) does not stop the node: it listens at once, answering 503 and "not ready",
 * and keeps trying with backoff within `dbStartTimeoutMs`.
 */
async function start(input: ConfigInput, overrides: Overrides, role: 'api' | 'worker'): Promise<{ node: RunningNode; config: Config; admin: AdminApi }> {
  const config = resolveConfig(input, role === 'api' ? 'serve' : 'worker');
  const initialState = overrides.initialState === undefined ? undefined : await readStateInput(overrides.initialState, 'initialState');
  const log = overrides.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  let node: Node | null = null;
  const probes = probeRouter({
    ready: () => (node ? node.store.probe() : Promise.reject(new StoreUnavailable('unreachable', { cause: 'the database is not open yet' }))),
    warnings: () => node?.warnings() ?? [],
  });
  const route = (target: Target): Router | null => {
    if (target.path === LIVENESS || target.path === READINESS) return probes;
    return node ? node.route(target) : notReady;
  };
  const frontDoor = new FrontDoor({ route, requestId: () => (overrides.ids ?? randomIds).requestId(), log, metrics });
  // A bad certificate or key stops the start before anything else begins.
  const listeners = new Listeners(frontDoor, config, await tlsMaterial(config, log));
  // Links name the public address; until the server listens, only a configured one is known.
  let listeningUrl = '';
  let listening: Promise<BoundListeners> | null = null;
  const listenOnce = () =>
    (listening ??= listeners.listen().then((bound) => {
      listeningUrl = bound.url;
      overrides.onListening?.(bound.url);
      return bound;
    }));

  let waiting: Promise<void> | null = null;
  const patience: StartPatience = {
    deadline: Date.now() + config.dbStartTimeoutMs,
    outages: new OutageLog(log),
    whileWaiting: () => (waiting ??= listenOnce().then(({ url }) => log.warn({ url }, 'listening, not ready: waiting for the database'))),
  };
  try {
    node = await assemble(config, overrides, role, { log, metrics, listeningUrl: () => listeningUrl, requestsInFlight: () => frontDoor.busy, initialState, patience });
  } catch (err) {
    if (listening) await listeners.close(0);
    throw err;
  }
  const { url, port, https } = await listenOnce();
  await node.startWork();
  const assembled = node;
  const close = async () => {
    // Requests in flight finish first (within the grace period): none meets a closed store.
    await listeners.close(config.shutdownGraceMs);
    await assembled.close();
  };
  const running: RunningNode = { url, port, https, requestsInFlight: () => frontDoor.requestsInFlight, close, [Symbol.asyncDispose]: close };
  registerInternals(running, { config, store: assembled.store, services: assembled.services, log });
  return { node: running, config, admin: assembled.admin };
}

interface Assembly {
  log: Logger;
  metrics: Metrics;
  /** Where the server listens (empty until it does): the base of verification links unless `publicUrl` is set. */
  listeningUrl: () => string;
  /** Whether requests are being served: background work yields to them. */
  requestsInFlight: () => boolean;
  /** The checked `initialState`, laid down after the bootstrap. */
  initialState: StateFile | undefined;
  patience: StartPatience;
}

/** Opens the store (waiting for it within `patience`), lays down the bootstrap, and builds everything that serves requests. */
async function assemble(config: Config, overrides: Overrides, role: 'api' | 'worker', { log, metrics, listeningUrl, requestsInFlight, initialState, patience }: Assembly): Promise<Node> {
  const ids = overrides.ids ?? randomIds;
  const store = await untilReachable(
    () =>
      openStore(config, patience.outages, {
        lost: (err) => log.error({ err }, 'the database file cannot be written: writes answer 503 ServiceUnavailable until it can'),
        regained: () => log.info('the database file can be written again'),
      }),
    patience,
  );
  // Every rule nodes share reads the database's time: the node's clock, corrected.
  const storeClock = new StoreClock(store.databaseTime?.bind(store), { maxSkewMs: config.maxClockSkewMs, offsetMs: config.clockOffsetMs }, log, metrics);
  // The admin API moves `travel` (POST /_rdmc/time/advance); every rule reads `clock`.
  const travel = new AdvancingClock(overrides.clock ?? systemClock);
  const clock = storeClock.correct(shiftedClock(travel, config.clockOffsetMs));

  const queue = new JobQueue({ mode: config.asyncMode, delayMs: config.asyncDelayMs }, clock);
  const channels: Channels = {};
  if (config.smtpUrl) channels.email = smtpChannel(config.smtpUrl, config.smtpFrom);
  if (config.smsWebhookUrl && config.smsWebhookSecret) channels.sms = smsWebhookChannel(config.smsWebhookUrl, config.smsWebhookSecret);
  // Object IDs the services hand out are noted in the audit record of the write that makes them.
  const services = buildServices({ store, clock, ids: notingIds(ids) }, queue, {
    contactQuota: config.contactQuota,
    folderQuota: config.folderQuota,
    accountQuota: config.accountQuota,
    tenantListConcurrency: config.tenantListConcurrency,
    channels,
    publicUrl: () => config.publicUrl ?? listeningUrl(),
    tokenTtlMs: config.verificationTtlMs,
    maxSessionSeconds: config.stsMaxSessionSeconds,
    maxLiveSessions: config.stsMaxLiveSessions,
    rootMayAssume: config.stsAllowRoot,
    trustedServices: parseTrustedServices(config.trustedServices),
    invitationsPerDay: config.invitationsPerDay,
    invitationsPending: config.invitationsPending,
    invitationsPerTargetPerDay: config.invitationsPerTargetPerDay,
    jobBatchSize: config.jobBatchSize,
    tenants: () => config.accessKeys.map((k) => k.accountId),
    identities: () => configuredIdentities(config.accessKeys),
    bootstrap: config.bootstrap ? { owner: config.accessKeys[0]!.accountId, directoryId: config.bootstrapDirectoryId, rootFolderId: config.bootstrapRootFolderId } : null,
  });
  // Copies a process killed mid-download left behind (none of a live process is touched).
  const orphans = await removeOrphanedScratch();
  if (orphans > 0) log.info({ orphans }, 'removed temporary copies left by processes that no longer run');
  try {
    await storeClock.start();
    await untilReachable(async () => {
      if (role === 'api') await services.state.bootstrap();
      if (role === 'api' && initialState) await services.state.apply(initialState);
      // With a database only this process can open, every lock left behind belongs to a dead process.
      if (store.singleProcess) await store.transaction(locks.jobs, (tx) => tx.jobs.releaseAllLocks());
    }, patience);
  } catch (err) {
    // A refused initial state fails the start, and leaves nothing running.
    storeClock.stop();
    await store.close();
    throw err;
  }

  const worker = new Worker(store, clock, buildTasks(services), log, metrics, {
    owner: `${hostname()}:${process.pid}:${ids.token().slice(0, 8)}`,
    staleLockMs: config.jobStaleLockMs,
    pollMs: 1_000,
    maxAttempts: config.jobMaxAttempts,
    retryBaseMs: config.jobRetryBaseMs,
    retryMaxMs: config.jobRetryMaxMs,
    bookkeepingLock: locks.jobs,
    retention: {
      outboxMs: config.retentionOutboxMs,
      tokensMs: config.retentionTokensMs,
      failedJobsMs: config.retentionFailedJobsMs,
      auditMs: config.retentionAuditMs,
      sendCountersMs: config.retentionSendCountersMs,
      deletionRecordsMs: config.retentionDeletionRecordsMs,
      stsSessionsMs: config.retentionStsSessionsMs,
      handshakesMs: config.retentionHandshakesMs,
      everyMs: config.retentionEveryMs,
      consoleSessions: { idleMs: config.consoleIdleTimeoutMs, lifetimeMs: config.consoleSessionLifetimeMs },
    },
    requestsWaiting: requestsInFlight,
  });

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
  const audit = new AuditTrail(store, clock, log);
  const temporaryKeys = { find: (id: string) => services.sts.temporaryKey(id), now: () => clock.now() };
  const pipelineDeps = { credentials, temporaryKeys, nonces: store, throttle, services, now: () => signingClock.now(), log, metrics, loose: config.loose, deadlineMs: config.requestDeadlineMs, afterAction, audit };
  const access = adminAccess(config);
  const operations = new OperationsService({ store, clock, ids }, queue, worker);
  // Moving the clock is for tests: opt-in everywhere (docs/operations.md, Time).
  const time = new TimeControl(travel, clock, config.timeTravel === true, queue, worker);
  const admin = adminRouter({
    scrape: scraper({ metrics, cluster: new ClusterGauges(store, clock, config.metricsCacheMs, log), store, role }),
    services,
    operations,
    time,
    defaultAccountId: config.accessKeys[0]!.accountId,
    log,
    access,
    downloadStallMs: config.downloadStallMs,
    afterAction,
    audit,
  });

  const verifyConsole = consoleRouter(services.verification, log, audit);
  const sessions = new ConsoleSessions(store, clock, ids, { idleMs: config.consoleIdleTimeoutMs, lifetimeMs: config.consoleSessionLifetimeMs });
  const webConsole = consoleApp(services, access, log, { access, sessions, attempts: new LoginAttempts(clock), log }, afterAction);

  const rpc: Router = (req, res, target, requestId) => handleRpc(req, res, target, requestId, pipelineDeps);
  // A browser opening `/` is sent on to the console; API callers get their RPC answer.
  const root: Router = async (req, res, target, requestId) => {
    if (!wantsConsole(req, target)) return rpc(req, res, target, requestId);
    writeAnswer(res, 303, { location: CONSOLE, 'x-acs-request-id': requestId }, '');
  };
  // A worker node serves its health check and metrics (and the probes, answered before this) only.
  const route = ({ path }: Target): Router | null => {
    if (role === 'worker') return path === '/_rdmc/health' || path === '/_rdmc/metrics' ? admin : null;
    if (path === '/') return root;
    if (path === CONSOLE || path.startsWith(`${CONSOLE}/`)) return webConsole;
    // The whole /_rdmc namespace is the admin API's, its bare root too: it answers its own 404.
    if (path === '/_rdmc' || path.startsWith('/_rdmc/')) return admin;
    if (path.startsWith('/verify/')) return verifyConsole;
    return null;
  };

  let stopListening: (() => Promise<void>) | undefined;
  return {
    store,
    services,
    admin: inProcessAdmin({ services, operations, time, defaultAccountId: config.accessKeys[0]!.accountId, afterAction, readState: readStateInput }),
    route,
    warnings: () => (storeClock.skewed ? ['clock-skew'] : []),
    async startWork() {
      if (!config.worker) return;
      // Where other processes share the database, their commits wake this worker too.
      stopListening = await store.listenForJobs?.(() => worker.wake());
      worker.start();
    },
    async close() {
      await stopListening?.();
      await worker.stop();
      storeClock.stop();
      await store.close();
      await Promise.all(Object.values(channels).map((c) => c.close()));
    },
  };
}
