import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { serve } from '../api/action.js';
import { API_VERSIONS, changesState, findAction, isApiVersion } from '../api/actions.js';
import { firstUnknown, parseParams } from '../api/params.js';
import { errors } from '../domain/errors.js';
import { ramActionOf } from '../domain/ram-actions.js';
import { withinAudit, type AuditScope } from '../audit/scope.js';
import { parameterTargets } from '../audit/targets.js';
import type { AuditTrail } from '../audit/trail.js';
import { recordAction } from './action-log.js';
import { answerable } from './answerable.js';
import { withinBudget } from '../storage/request-budget.js';
import type { Metrics } from '../observability/metrics.js';
import type { Services } from '../services/index.js';
import { authenticate, type NonceMemory, type TemporaryKeys, type WireRequest } from './authenticate.js';
import type { Credentials } from './credentials.js';
import { mergeParameters } from './merge-parameters.js';
import { countPairs, decodePairs } from './percent.js';
import { ClientGone, isForm, readBody } from './read-request.js';
import { renderError, renderSuccess, type Format } from './render.js';
import { peerOf } from './peer.js';
import type { Target } from './target.js';
import type { CallerThrottle } from './throttle.js';

export interface PipelineDeps {
  credentials: Credentials;
  temporaryKeys: TemporaryKeys;
  nonces: NonceMemory;
  throttle: CallerThrottle;
  services: Services;
  now: () => number;
  log: Logger;
  metrics: Metrics;
  /** Ignore undeclared parameters instead of refusing them. */
  loose: boolean;
  /** How long an action's database work may take from the request's arrival (RDMC_REQUEST_DEADLINE_MS). */
  deadlineMs: number;
  /** Lets background work started by the action finish first when the async mode says so; never throws. */
  afterAction: () => Promise<void>;
  /** Where every action that changes state is recorded, refused or not, once its caller is known. */
  audit: AuditTrail;
}

/** Parameters of the protocol itself, never handed to an action. */
const COMMON_PARAMETERS = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion',
  'SignatureNonce', 'SignatureType', 'Timestamp', 'SecurityToken', 'RegionId',
]);

/**
 * Parameters one request may carry, query and form body together: the largest call the API
 * allows (TagResources: 50 `ResourceId.N`, 20 `Tag.N` pairs and the common parameters) has
 * about 100. Counted before anything is decoded, so a padded body costs no work before the
 * signature is checked.
 */
export const MAX_PARAMETERS = 1000;

/** Longest text of a log line's `code`: codes are catalogue names, so this only ever cuts a bug's. */
const LOGGED_CODE_MAX = 128;

/**
 * One RPC request, every step in order. Errors from any step render as the catalogue
 * error they are; anything else is logged with its stack and answered 500 InternalError.
 */
export async function handleRpc(req: IncomingMessage, res: ServerResponse, target: Target, requestId: string, deps: PipelineDeps) {
  const started = process.hrtime.bigint();
  const endsAt = performance.now() + deps.deadlineMs;
  const hostId = req.headers.host ?? 'rdmc';
  let format: Format = 'JSON';
  let action = '';
  let version = '';
  // What the caller asked for, for the log line of a request that never authenticates.
  let requested = '';
  let status = 200;
  let code = '';
  let accessKeyId: string | undefined;
  let product: string | undefined;
  let audit: AuditScope | null = null;
  try {
    // 1. RPC is GET or POST on `/`.
    if (req.method !== 'GET' && req.method !== 'POST') throw errors.unsupportedHttpMethod();
    // 2. Read the body (chunked or not, capped), count the parameters, then decode the query and a form body
    //    and merge them, refusing a name given twice.
    const body = await readBody(req);
    const form = isForm(req) ? body.toString('utf8') : '';
    if (countPairs(target.query, MAX_PARAMETERS) + countPairs(form, MAX_PARAMETERS) > MAX_PARAMETERS) throw errors.tooManyParameters(MAX_PARAMETERS);
    const wire: WireRequest = {
      method: req.method,
      path: target.path,
      query: decodePairs(target.query),
      form: decodePairs(form),
      headers: req.headers,
      body,
    };
    // Names are compared decoded (`Folder%4Eame` is `FolderName`), before Format is read or the signature checked.
    const params = mergeParameters(wire.query, wire.form);
    requested = (params.get('Action') ?? String(req.headers['x-acs-action'] ?? '')).slice(0, 64);
    // 3. The answer's format: JSON unless the caller asks for XML.
    if (params.get('Format')?.toUpperCase() === 'XML') format = 'XML';
    // 4. Authenticate: signature v1 or v3, timestamp window, key, the caller's throttle, nonce; resolves the action.
    const auth = await authenticate(wire, {
      credentials: deps.credentials,
      temporaryKeys: deps.temporaryKeys,
      nonces: deps.nonces,
      admit: (accountId) => deps.throttle.admit(accountId),
      now: deps.now,
      isVersion: isApiVersion,
      hasAction: (version, name) => findAction(version, name) !== undefined,
    });
    action = auth.action;
    version = auth.version;
    accessKeyId = auth.accessKeyId;
    product = API_VERSIONS[auth.version]!.product;
    // The action as the version asked for models it (parameters and answer).
    const definition = findAction(auth.version, action)!;
    // From here on, a write is recorded whatever its outcome (src/audit/trail.ts).
    if (changesState(action)) {
      const identityType = auth.identity.type === 'AssumedRoleUser' ? 'sts-session' : 'access-key';
      const who = { identityType, actor: auth.accessKeyId, accessKeyId: auth.accessKeyId, accountId: auth.accountId } as const;
      audit = deps.audit.begin({ requestId, ...who, peer: req.socket.remoteAddress ?? null, action, targets: [] });
    }
    // 5. The action's own parameters: refuse undeclared ones (unless loose), then parse and validate.
    for (const name of COMMON_PARAMETERS) params.delete(name);
    if (!deps.loose) {
      const unknown = firstUnknown(definition.params, params);
      if (unknown !== undefined) throw errors.unknownParameter(unknown);
    }
    const typed = parseParams(definition.params, params);
    audit?.entry.targets.push(...parameterTargets(typed as Record<string, unknown>));
    // 6. The thin handler calls one service, which owns every rule and transaction, within the
    //    request's budget: its database work stops at the deadline or when the client leaves.
    const left = new AbortController();
    const leaving = () => left.abort();
    res.once('close', leaving);
    const caller = { accountId: auth.accountId, accessKeyId: auth.accessKeyId, identity: auth.identity };
    // A member's RAM user or role session is held to its directory's control policies first
    // (docs/reference/guardrails.md, "Enforcement"); AssumeRole acts on the role it names.
    const ramAction = ramActionOf(auth.version, action);
    const resource = typeof typed.RoleArn === 'string' ? typed.RoleArn : null;
    const guarded = { action: ramAction ?? '', resource, sourceIp: req.socket.remoteAddress ?? null, secureTransport: peerOf(req).tls };
    const run = async () => {
      if (ramAction) await deps.services.guardrails.enforce(auth.identity, guarded);
      return serve(definition, { caller, services: deps.services }, typed);
    };
    const result = await withinBudget({ endsAt, signal: left.signal }, () => (audit ? withinAudit(audit, run) : run())).finally(() =>
      res.off('close', leaving),
    );
    // 7. In `immediate` async mode, the jobs the action enqueued run before it answers.
    await deps.afterAction();
    // 8. A write's audit record is saved (its transaction carried it already, as a rule), then the success envelope rendered.
    if (audit) await deps.audit.finish(audit, 200, '');
    renderSuccess(res, requestId, action, result, format);
  } catch (err) {
    // Nobody waits for this answer: the front door logs and counts it as the client's doing.
    if (err instanceof ClientGone) throw err;
    const { error: apiError, unexpected } = answerable(err);
    if (unexpected) deps.log.error({ requestId, action, err }, 'unexpected error');
    status = apiError.status;
    code = apiError.code;
    if (audit && audit.state !== 'closed') await deps.audit.finish(audit, status, code);
    if (!res.headersSent) renderError(res, requestId, hostId, apiError, format, product);
    else res.destroy();
  } finally {
    // Requests that got no answer are counted by the front door instead.
    if (res.writableEnded) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Unknown or unauthenticated actions share one label, so callers cannot grow the label set.
      const label = action || 'unresolved';
      deps.metrics.requests.inc({ action: label, code });
      deps.metrics.duration.observe({ action: label }, ms / 1000);
      if (version) recordAction?.(version, action, status);
      deps.log.info({ requestId, action: action || requested, accessKeyId, status, ...(code && { code: code.slice(0, LOGGED_CODE_MAX) }), ms: Math.round(ms * 100) / 100, ...peerOf(req) }, 'rpc');
    }
  }
}
