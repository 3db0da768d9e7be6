import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Target } from '../protocol/target.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import type { VerificationService } from '../services/verification.js';
import { sendHtml } from './html-answer.js';
import { verifyPage } from './verify-page.js';

const TOKEN = /^\/verify\/([A-Za-z0-9_-]{20,100})$/;

/** The console's first page: GET shows a verification link's target with a confirm button, POST confirms. */
export function consoleRouter(verification: VerificationService, log: Logger) {
  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    try {
      const token = TOKEN.exec(target.path)?.[1];
      if (!token) return sendHtml(res, 404, verifyPage({ state: 'unknown' }, target.path).html, requestId);
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        return sendHtml(res, 405, '<!doctype html><title>Method not allowed</title><p>Use GET or POST.</p>', requestId);
      }
      // Any form body is left unread: confirming needs nothing but the token in the path.
      const state = req.method === 'POST' ? await verification.confirm(token) : await verification.inspect(token);
      const { status, html } = verifyPage(state, target.path);
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
