import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { browserRefusal, isAdminToken, type AdminAccess } from '../admin/access.js';
import { escapeHtml } from '../domain/html.js';
import type { Target } from '../protocol/target.js';
import { readConsoleForm, readForm } from './csrf.js';
import { consoleGate } from './gate.js';
import { sendHtml, sendRedirect } from './html-answer.js';
import { loginPeer, type LoginAttempts } from './login-attempts.js';
import { consoleDestination, LOGIN, loginAddress, LOGOUT, loginPage } from './login-page.js';
import { CONSOLE, layout } from './pages.js';
import { clearedSessionCookie, sessionCookie, sessionSecretOf } from './session-cookie.js';
import type { ConsoleSessions } from './sessions.js';

export interface LoginDeps {
  access: AdminAccess;
  sessions: ConsoleSessions;
  attempts: LoginAttempts;
  log: Logger;
}

/** Whether the console path is the login form's or the logout's. */
export const isLoginPath = (path: string) => path === LOGIN || path === LOGOUT;

/**
 * The console's login (GET shows the form, POST exchanges the admin token for a session
 * cookie) and logout (POST, with the form's CSRF field: it ends the session on every node).
 * Without RDMC_ADMIN_TOKEN there is nothing to log in to: both send the browser to the console.
 */
export function loginRouter({ access, sessions, attempts, log }: LoginDeps) {
  const refused = (res: ServerResponse, requestId: string, status: number, code: string, message: string) =>
    sendHtml(res, status, layout(code, `<p>${escapeHtml(message)}</p>`), requestId);

  async function showForm(req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) {
    const query = new URLSearchParams(target.query);
    const next = consoleDestination(query.get('next'));
    // Already logged in (or no login needed): straight on.
    const entry = await consoleGate(req, access, sessions);
    if ('caller' in entry) return sendRedirect(res, next, requestId);
    if ('refusal' in entry) return refused(res, requestId, entry.refusal.status, entry.refusal.code, entry.refusal.message);
    const notice = query.has('out') ? 'You have logged out.' : query.has('ended') ? 'Your session has ended; log in again.' : undefined;
    sendHtml(res, 200, loginPage({ next, notice }), requestId);
  }

  async function logIn(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const elsewhere = browserRefusal(req, access);
    if (elsewhere) return refused(res, requestId, elsewhere.status, elsewhere.code, elsewhere.message);
    const form = await readForm(req);
    const next = consoleDestination(form.get('next'));
    if (access.token === undefined) return sendRedirect(res, next, requestId);
    const peer = loginPeer(req);
    const waitMs = attempts.waitFor(peer);
    if (waitMs > 0) {
      const minutes = Math.ceil(waitMs / 60_000);
      const error = `Too many failed logins from your address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
      return sendHtml(res, 429, loginPage({ next, error }), requestId, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
    }
    if (!isAdminToken(form.get('token') ?? '', access)) {
      attempts.failed(peer);
      log.warn({ requestId, peer }, 'console login refused: wrong token');
      return sendHtml(res, 401, loginPage({ next, error: 'That is not the admin token.' }), requestId);
    }
    attempts.succeeded(peer);
    const secret = await sessions.open();
    log.info({ requestId, peer }, 'console login');
    sendRedirect(res, next, requestId, { 'set-cookie': sessionCookie(req, secret) });
  }

  async function logOut(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const entry = await consoleGate(req, access, sessions);
    if ('refusal' in entry) return refused(res, requestId, entry.refusal.status, entry.refusal.code, entry.refusal.message);
    if ('caller' in entry) {
      await readConsoleForm(req, entry.caller);
      if (entry.caller.via === 'session') {
        await sessions.close(entry.caller.secret);
        log.info({ requestId, peer: loginPeer(req) }, 'console logout');
      }
    }
    // A session already over has nothing left to end: the browser forgets its cookie all the same.
    const cleared = sessionSecretOf(req) === null ? {} : { 'set-cookie': clearedSessionCookie(req) };
    sendRedirect(res, access.token === undefined ? CONSOLE : `${LOGIN}?out=1`, requestId, cleared);
  }

  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    const allowed = target.path === LOGIN ? 'GET, POST' : 'POST';
    if (req.method === 'GET' && target.path === LOGIN) return showForm(req, res, target, requestId);
    if (req.method === 'POST') return target.path === LOGIN ? logIn(req, res, requestId) : logOut(req, res, requestId);
    res.setHeader('allow', allowed);
    return refused(res, requestId, 405, 'Method not allowed', `Use ${allowed}.`);
  };
}

/**
 * Sends a browser without a live session to the login form, keeping the page it asked for;
 * a cookie it still sends (a session over or logged out elsewhere) is cleared, and the form
 * says the session has ended.
 */
export function sendToLogin(req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) {
  const stale = sessionSecretOf(req) !== null;
  const page = req.method === 'GET' ? target : { path: CONSOLE, query: '' };
  sendRedirect(res, loginAddress(page.path, page.query, stale), requestId, stale ? { 'set-cookie': clearedSessionCookie(req) } : {});
}
