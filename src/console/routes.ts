import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Target } from '../protocol/target.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import type { VerificationService } from '../services/verification.js';
import { withinAudit } from '../audit/scope.js';
import type { AuditTrail } from '../audit/trail.js';
import { sendHtml } from './html-answer.js';
import { verifyPage } from './verify-page.js';

const TOKEN = /^\/verify\/([A-Za-z0-9_-]{20,100})$/;

/** How a confirmation that confirmed nothing is recorded: status 410 and a code per reason. */
const REFUSED: Record<string, string> = { used: 'Link.Used', expired: 'Link.Expired', stale: 'Link.Stale' };

/**
 * The console's first page: GET shows a verification link's target with a confirm button, POST
 * confirms. Every confirmation of a link that exists is recorded in the audit trail (the token
 * never is: the record names the contact and its directory); one of a link nobody was sent
 * proves no one's identity and is not.
 */
export function consoleRouter(verification: VerificationService, log: Logger, trail: AuditTrail) {
  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    try {
      const token = TOKEN.exec(target.path)?.[1];
      if (!token) return sendHtml(res, 404, verifyPage({ state: 'unknown' }, target.path).html, requestId);
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        return sendHtml(res, 405, '<!doctype html><title>Method not allowed</title><p>Use GET or POST.</p>', requestId);
      }
      if (req.method === 'GET') {
        const { status, html } = verifyPage(await verification.inspect(token), target.path);
        return sendHtml(res, status, html, requestId);
      }
      const who = { identityType: 'link', actor: 'verification-link', accessKeyId: null, accountId: null } as const;
      const audit = trail.begin({ requestId, ...who, peer: req.socket.remoteAddress ?? null, action: 'ConfirmVerificationLink', targets: [] });
      // Any form body is left unread: confirming needs nothing but the token in the path.
      const state = await withinAudit(audit, () => verification.confirm(token)).catch(async (err: unknown) => {
        await trail.finish(audit, err instanceof StoreUnavailable ? 503 : 500, err instanceof StoreUnavailable ? 'ServiceUnavailable' : 'InternalError');
        throw err;
      });
      const { status, html } = verifyPage(state, target.path);
      if (state.state === 'unknown') trail.discard(audit);
      else await trail.finish(audit, state.state === 'confirmed' ? 200 : status, REFUSED[state.state] ?? '');
      sendHtml(res, status, html, requestId);
    } catch (err) {
      // The database cannot take the confirmation now (its cause is logged once by the store): the link stays good.
      if (err instanceof StoreUnavailable) {
        return sendHtml(res, 503, '<!doctype html><title>Try again later</title><p>The confirmation cannot be saved right now; open the link again later.</p>', requestId);
      }
      log.error({ requestId, err }, 'verification page failed');
      sendHtml(res, 500, '<!doctype html><title>Error</title><p>Something went wrong; try again later.</p>', requestId);
    }
  };
}
