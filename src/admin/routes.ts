import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ASYNC_MODES } from '../config/schema.js';
import { MESSAGE_TYPES } from '../domain/contact-rules.js';
import { REDRIVABLE_KINDS } from '../jobs/kinds.js';
import { ownErrors } from '../domain/errors.js';
import { answerable } from '../protocol/answerable.js';
import { ClientGone, readBody } from '../protocol/read-request.js';
import { closeIfBodyUnread, errorBody, writeAnswer } from '../protocol/render.js';
import type { Target } from '../protocol/target.js';
import { Metrics } from '../observability/metrics.js';
import type { Services } from '../services/index.js';
import type { OperationsService } from '../services/operations.js';
import { checkFolderNesting, stateFile } from '../services/state-file.js';
import { adminRefusal, type AdminAccess } from './access.js';
import { withinAudit, type AuditScope } from '../audit/scope.js';
import { routeAction } from '../audit/targets.js';
import type { AuditTrail } from '../audit/trail.js';
import { listAudit } from '../audit/query.js';
import { streamDownload } from './download.js';
import { effectivePoliciesAnswer, simulationAnswer } from './guardrail-answers.js';
import { simulateBody } from './guardrail-body.js';
import type { TimeControl } from './time.js';
import { scratchFolder } from '../storage/scratch.js';

export interface AdminDeps {
  /** The text of GET /_rdmc/metrics (src/observability/scrape.ts). */
  scrape: () => Promise<string>;
  services: Services;
  operations: OperationsService;
  /** The account seeding acts as when the body names none: the first configured key's. */
  defaultAccountId: string;
  log: Logger;
  access: AdminAccess;
  /** How long a download's reader may take nothing before it is cut off (RDMC_DOWNLOAD_STALL_MS). */
  downloadStallMs: number;
  /** As for RPC actions: jobs a route enqueued run first in `immediate` mode, else the worker is woken. */
  afterAction: () => Promise<void>;
  /** Where every request but a GET is recorded once the access rule let it in, whatever route it names. */
  audit: AuditTrail;
  /** The node's clock, moved forward by `POST /_rdmc/time/advance`. */
  time: TimeControl;
}


function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string) {
  writeAnswer(res, status, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId }, JSON.stringify(body));
}

// A page of another site can make a browser POST text/plain without asking first, never
// application/json: the type is part of what keeps the admin API to its own callers.
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** `check`: a rule on the document as parsed, before the schema sees it. */
async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T, z.ZodTypeDef, unknown>, check: (value: unknown) => void = () => {}): Promise<T> {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    throw ownErrors.unsupportedMediaType();
  }
  const text = (await readBody(req)).toString('utf8');
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw ownErrors.bodyNotJson();
  }
  check(value);
  return checkedBody(schema, value);
}

/** A body by its route's schema, 400 `InvalidBody` naming each problem: over HTTP, and in process (src/facade/admin.ts). */
export function checkedBody<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw ownErrors.invalidBody(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

const ownerBody = z.object({ MessageTypes: z.array(z.enum(MESSAGE_TYPES)) }).strict();
export const seedBody = z
  .object({
    AccountId: z.string().regex(/^\d{16}$/).optional(),
    ParentFolderId: z.string().min(1).optional(),
    Accounts: z.number().int().min(1).max(100_000),
    DisplayNamePrefix: z.string().regex(/^[A-Za-z0-9_.-]{1,20}$/).default('seed'),
  })
  .strict();
// Free text may hold line breaks, never NUL (no database stores it).
const text = (max: number) => z.string().min(1).max(max).refine((v) => !v.includes('\u0000'), 'must not contain NUL');
const messageBody = z
  .object({ AccountId: z.string().regex(/^\d{16}$/), MessageType: z.enum(MESSAGE_TYPES), Subject: text(200), Body: text(100_000) })
  .strict();
// Redrive (docs/operations.md, Redrive): times as ISO 8601 with a zone, as the answers write them.
const instant = z.string().datetime({ offset: true }).transform((t) => Date.parse(t));
const retryJobsBody = z.object({ Kind: z.enum(REDRIVABLE_KINDS).optional(), FailedSince: instant.optional(), FailedBefore: instant.optional() }).strict();
const retryDeliveriesBody = z.object({ MessageId: z.string().min(1).max(128).optional() }).strict();

/** A job's ID in a path: a whole number, else 400 (not a 404 for a route that does exist). */
function jobIdOf(text: string): number {
  if (!/^[1-9]\d{0,14}$/.test(text)) throw ownErrors.invalidParameter('JobId', 'JobId must be a whole number from 1, as GET /_rdmc/jobs lists it.');
  return Number(text);
}

/** A delivery's ID in a path, as GET /_rdmc/outbox lists it. */
function deliveryIdOf(text: string): string {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(text)) throw ownErrors.invalidParameter('DeliveryId', 'DeliveryId must be a DeliveryId as GET /_rdmc/outbox lists it.');
  return text;
}

export const asyncBody = z.object({ Mode: z.enum(ASYNC_MODES), DelayMs: z.number().int().min(0).max(3_600_000).optional() }).strict();
/** One move of the clock: a whole number of milliseconds, at most ten years. */
export const advanceBody = z.object({ Milliseconds: z.number().int().min(0).max(3650 * 24 * 3_600_000) }).strict();

/** `Limit`: how many outbox entries or jobs a read answers with, 100 unless asked, 1000 at most. */
function readLimit(query: URLSearchParams): number {
  const text = query.get('Limit');
  if (text === null || text === '') return 100;
  if (!/^\d{1,4}$/.test(text)) return checkedLimit(NaN);
  return checkedLimit(Number(text));
}

export function checkedLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw ownErrors.invalidParameter('Limit', 'Limit must be a whole number from 1 to 1000.');
  }
  return limit;
}

/** An online backup of the SQLite database, streamed from a temporary copy that is deleted afterwards. */
async function sendBackup(deps: AdminDeps, res: ServerResponse, requestId: string): Promise<void> {
  const dir = await scratchFolder();
  try {
    const file = join(dir, 'rdmc.sqlite');
    await deps.operations.backup(file);
    const { size } = await stat(file);
    closeIfBodyUnread(res);
    res.writeHead(200, { 'content-type': 'application/vnd.sqlite3', 'content-length': size, 'x-acs-request-id': requestId });
    await streamDownload(res, createReadStream(file), deps.downloadStallMs, deps.log, requestId);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The state file, streamed as it is read (`StateService.exportJson`): the answer's envelope
 * is the same `{"RequestId", "State"}` as a whole one. A failure before the first page is
 * answered as an error; one after it can only cut the connection (see `streamDownload`).
 */
async function sendState(deps: AdminDeps, res: ServerResponse, requestId: string): Promise<void> {
  await deps.services.state.exportJson(async (chunks) => {
    const pages = chunks[Symbol.asyncIterator]();
    const first = await pages.next();
    closeIfBodyUnread(res);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId });
    async function* body() {
      yield `{"RequestId":${JSON.stringify(requestId)},"State":`;
      if (!first.done) yield first.value;
      for (let next = await pages.next(); !next.done; next = await pages.next()) yield next.value;
      yield '}';
    }
    await streamDownload(res, body(), deps.downloadStallMs, deps.log, requestId);
  });
}

type Route = (req: IncomingMessage, match: RegExpExecArray, target: Target) => Promise<unknown>;

/** The emulator controls of docs/reference/model.md section 7, under /_rdmc/, in the RPC error envelope. */
export function adminRouter(deps: AdminDeps) {
  const routes: Array<[string, RegExp, Route]> = [
    ['GET', /^\/_rdmc\/health$/, async () => deps.operations.health()],
    ['GET', /^\/_rdmc\/jobs$/, async (_req, _m, target) => ({ Jobs: await deps.services.overview.jobs(readLimit(new URLSearchParams(target.query))) })],
    ['POST', /^\/_rdmc\/jobs\/run$/, async () => deps.operations.runJobs()],
    ['POST', /^\/_rdmc\/jobs\/retry$/, async (req) => {
      const body = await jsonBody(req, retryJobsBody);
      return deps.services.redrive.retryJobs({ kind: body.Kind, failedSince: body.FailedSince, failedBefore: body.FailedBefore });
    }],
    ['POST', /^\/_rdmc\/jobs\/([^/]+)\/retry$/, async (_req, m) => deps.services.redrive.retryJob(jobIdOf(m[1]!))],
    ['POST', /^\/_rdmc\/outbox\/retry$/, async (req) => deps.services.redrive.retryDeliveries({ messageId: (await jsonBody(req, retryDeliveriesBody)).MessageId })],
    ['POST', /^\/_rdmc\/outbox\/([^/]+)\/retry$/, async (_req, m) => deps.services.redrive.retryDelivery(deliveryIdOf(m[1]!))],
    ['GET', /^\/_rdmc\/async$/, async () => deps.operations.asyncSettings()],
    ['GET', /^\/_rdmc\/audit$/, async (_req, _m, target) => listAudit(deps.services.audit, new URLSearchParams(target.query))],
    ['PUT', /^\/_rdmc\/async$/, async (req) => deps.operations.setAsyncSettings(await jsonBody(req, asyncBody))],
    ['GET', /^\/_rdmc\/accounts\/(\d{16})\/message-center$/, async (_req, m) => deps.services.messageCenters.read(m[1]!)],
    ['PUT', /^\/_rdmc\/accounts\/(\d{16})\/message-center\/owner$/, async (req, m) => {
      const body = await jsonBody(req, ownerBody);
      return deps.services.messageCenters.setOwnerTypes(m[1]!, [...new Set(body.MessageTypes)]);
    }],
    ['GET', /^\/_rdmc\/accounts\/(\d{16})\/control-policies$/, async (_req, m) => effectivePoliciesAnswer(await deps.services.guardrails.effectivePolicies(m[1]!))],
    ['POST', /^\/_rdmc\/guardrails\/simulate$/, async (req) => {
      const body = await jsonBody(req, simulateBody);
      return simulationAnswer(await deps.services.guardrails.simulate({
        accountId: body.AccountId, principalType: body.PrincipalType, action: body.Action, resource: body.Resource, context: body.Context,
      }));
    }],
    ['POST', /^\/_rdmc\/seed$/, async (req) => {
      const body = await jsonBody(req, seedBody);
      return deps.services.directory.seedAccounts(body.AccountId ?? deps.defaultAccountId, {
        ParentFolderId: body.ParentFolderId,
        Count: body.Accounts,
        DisplayNamePrefix: body.DisplayNamePrefix,
      });
    }],
    ['GET', /^\/_rdmc\/outbox$/, async (_req, _m, target) => {
      const query = new URLSearchParams(target.query);
      return deps.services.outbox.list({ to: query.get('To') || undefined, messageId: query.get('MessageId') || undefined, limit: readLimit(query) });
    }],
    ['DELETE', /^\/_rdmc\/outbox$/, async (_req, _m, target) => {
      const ids = new URLSearchParams(target.query).getAll('MessageId').filter(Boolean);
      if (ids.length > 100) throw ownErrors.invalidParameter('MessageId', 'At most 100 MessageId values per request.');
      return deps.services.outbox.clear(ids.length > 0 ? ids : null);
    }],
    ['POST', /^\/_rdmc\/messages$/, async (req) => deps.services.messages.route(await jsonBody(req, messageBody))],
    ['POST', /^\/_rdmc\/state$/, async (req) => ({ Applied: await deps.services.state.apply(await jsonBody(req, stateFile, checkFolderNesting)) })],
    ['PUT', /^\/_rdmc\/state$/, async (req) => ({ Applied: await deps.services.state.replace(await jsonBody(req, stateFile, checkFolderNesting)) })],
    ['GET', /^\/_rdmc\/time$/, async () => deps.time.read()],
    ['POST', /^\/_rdmc\/time\/advance$/, async (req) => deps.time.advanceByRequest((await jsonBody(req, advanceBody)).Milliseconds)],
    ['POST', /^\/_rdmc\/reset$/, async () => {
      await deps.services.state.reset();
      return { Status: 'reset' };
    }],
  ];

  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    const hostId = req.headers.host ?? 'rdmc';
    let audit: AuditScope | null = null;
    try {
      const refusal = adminRefusal(req, deps.access);
      if (refusal) throw ownErrors.refused(refusal);
      if (req.method !== 'GET') {
        const identityType = deps.access.token === undefined ? 'loopback' : 'token';
        const who = { identityType, actor: identityType, accessKeyId: null, accountId: null } as const;
        audit = deps.audit.begin({ requestId, ...who, peer: req.socket.remoteAddress ?? null, ...routeAction(req.method ?? '', target.path, target.query) });
      }
      // Prometheus text, not JSON: the one route outside the envelope.
      if (target.path === '/_rdmc/metrics' && req.method === 'GET') {
        return writeAnswer(res, 200, { 'content-type': Metrics.contentType, 'x-acs-request-id': requestId }, await deps.scrape());
      }
      // The SQLite file itself, not JSON.
      if (target.path === '/_rdmc/backup' && req.method === 'GET') return await sendBackup(deps, res, requestId);
      if (target.path === '/_rdmc/state' && req.method === 'GET') return await sendState(deps, res, requestId);
      const pathMatches = routes.filter(([, pattern]) => pattern.test(target.path));
      if (pathMatches.length === 0) throw ownErrors.routeNotFound(target.path);
      const route = pathMatches.find(([method]) => method === req.method);
      if (!route) throw ownErrors.methodNotAllowed(req.method, target.path);
      const run = () => route[2](req, route[1].exec(target.path)!, target);
      const result = await (audit ? withinAudit(audit, run) : run());
      await deps.afterAction();
      if (audit) await deps.audit.finish(audit, 200, '');
      sendJson(res, 200, { RequestId: requestId, ...(result as object) }, requestId);
    } catch (err) {
      if (err instanceof ClientGone) throw err;
      const { error: apiError, unexpected } = answerable(err);
      if (unexpected) deps.log.error({ requestId, err }, 'unexpected admin error');
      if (audit && audit.state !== 'closed') await deps.audit.finish(audit, apiError.status, apiError.code);
      sendJson(res, apiError.status, errorBody(apiError, requestId, hostId), requestId);
    }
  };
}
