import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeAnswer } from '../protocol/render.js';
import type { Router } from '../protocol/front-door.js';
import type { Target } from '../protocol/target.js';
import { SchemaMismatch } from '../storage/schema-version.js';
import { StoreUnavailable } from '../storage/unavailable.js';

/** The paths of the probes: no token, no Host check, on every node (API and worker). */
export const LIVENESS = '/_rdmc/health/live';
export const READINESS = '/_rdmc/health/ready';

export interface ProbeDeps {
  /** Throws when the node cannot serve requests now (src/storage/store.ts `probe`). */
  ready: () => Promise<void>;
  /**
   * What a ready node should still have looked at (`clock-skew`): said in the answer, which
   * stays 200, since the node serves correctly meanwhile (see docs/operations.md, Clocks).
   */
  warnings: () => string[];
}

function answer(res: ServerResponse, status: number, body: object, requestId: string) {
  writeAnswer(res, status, { 'content-type': 'application/json;charset=utf-8', 'cache-control': 'no-store', 'x-acs-request-id': requestId }, JSON.stringify(body));
}

/**
 * Load balancers' and supervisors' probes, which cannot send a token. Liveness says only that
 * the process answers; readiness whether it can serve requests now, with a reason code when it
 * cannot, and nothing else (no versions, addresses or errors: an outage's cause goes to the log).
 */
export function probeRouter(deps: ProbeDeps): Router {
  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return answer(res, 405, { Code: 'MethodNotAllowed', Message: `${req.method} is not allowed on ${target.path}.` }, requestId);
    }
    if (target.path === LIVENESS) return answer(res, 200, { Status: 'live' }, requestId);
    try {
      await deps.ready();
      const warnings = deps.warnings();
      answer(res, 200, warnings.length ? { Status: 'ready', Warnings: warnings } : { Status: 'ready' }, requestId);
    } catch (err) {
      const reason = err instanceof StoreUnavailable ? `store-${err.reason}` : err instanceof SchemaMismatch ? err.reason : 'store-failing';
      answer(res, 503, { Status: 'unavailable', Reason: reason }, requestId);
    }
  };
}
