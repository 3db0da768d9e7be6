import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AdminAccess } from '../admin/access.js';
import { ApiError, ownErrors } from '../domain/errors.js';
import { escapeHtml } from '../domain/html.js';
import type { Target } from '../protocol/target.js';
import { ClientGone } from '../protocol/read-request.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import type { Services } from '../services/index.js';
import { OVERVIEW_JOBS } from '../services/overview.js';
import { accountPage, contactPage, messagePage } from './detail-pages.js';
import { guardrailsPage, triedAction } from './guardrails-page.js';
import { accountsPage, directoryPage, folderPage } from './directory-pages.js';
import { csrfField, FormRefused, readConsoleForm, type ConsoleCaller } from './csrf.js';
import { consoleGate } from './gate.js';
import { listAudit } from '../audit/query.js';
import { auditPage } from './audit-page.js';
import { identitiesPage } from './identities-page.js';
import { sendHtml, sendRedirect } from './html-answer.js';
import { isLoginPath, loginRouter, sendToLogin, type LoginDeps } from './login.js';
import { logoutButton } from './login-page.js';
import { CONSOLE, jobsPage, layout, outboxPage } from './pages.js';
import { redriveActions, retriedNotice } from './redrive-actions.js';
import { accountAfter, accountSearch, contactsFrom, directoryParam, pageSize, text } from './query.js';

const problem = (title: string, text: string) => layout(title, `<p>${text}</p>`);

/** How the services' refusals read as a problem page's title; the page says the code and the message. */
const REFUSED: Record<number, string> = { 400: 'Bad request', 409: 'Not possible now' };

/** A page's renderer: the path's match, the query and the caller (for its forms' CSRF field); null answers 404. */
type Render = (m: RegExpExecArray, query: URLSearchParams, caller: ConsoleCaller) => Promise<string | null>;

/** A browser's GET of `/`: sent on to the console. RPC callers always send a query, a body or a signature. */
export function wantsConsole(req: IncomingMessage, target: Target): boolean {
  return req.method === 'GET' && target.query === '' && !req.headers.authorization && (req.headers.accept ?? '').includes('text/html');
}

/**
 * The web console under /_rdmc/console, behind its access rule (src/console/gate.ts: with a
 * token set, a login session or the bearer token); it reads through the services. Its
 * actions (the redrive buttons, src/console/redrive-actions.ts) are POST forms with the CSRF
 * field (src/console/csrf.ts); like the admin API's, they run or wake the worker (`afterAction`).
 */
export function consoleApp(services: Services, access: AdminAccess, log: Logger, login: LoginDeps, afterAction: () => Promise<void>) {
  const loginRoutes = loginRouter(login);
  const { overview } = services;

  /** The directories for the switcher and the one asked for (the first when none is); another is 404. */
  const chosen = async (q: URLSearchParams) => {
    const directories = await overview.directories();
    const asked = directoryParam(q);
    if (asked && !directories.some((d) => d.ResourceDirectoryId === asked)) throw ownErrors.notFound('resource directory');
    return { directories, directoryId: asked ?? directories[0]?.ResourceDirectoryId ?? null };
  };
  const noDirectory = () => layout('Directory', '<p>No configured account has a resource directory yet (EnableResourceDirectory).</p>');

  /** The console's pages by path (below /_rdmc/console); a new page adds its entry here and to NAV (pages.ts). */
  const pages: Array<[RegExp, Render]> = [
    [/^\/?$/, async (_m, q) => {
      const { directories, directoryId } = await chosen(q);
      if (!directoryId) return noDirectory();
      return directoryPage(directories, await overview.directorySummary(directoryId, contactsFrom(q), text(q, 'FoldersAfter') ?? ''));
    }],
    [/^\/folders\/((?:fd|r)-[A-Za-z0-9]{6,10})$/, async (m, q) => {
      const { directoryId } = await chosen(q);
      if (!directoryId) return noDirectory();
      const after = accountAfter(q);
      const size = pageSize(q);
      return folderPage(await overview.folder(directoryId, m[1]!, text(q, 'FoldersAfter') ?? '', after, size), after, size);
    }],
    [/^\/accounts$/, async (_m, q) => {
      const { directories, directoryId } = await chosen(q);
      if (!directoryId) return noDirectory();
      const { asked, search } = accountSearch(q);
      const found = search && { ...(await overview.searchAccounts(directoryId, search)), By: search.by };
      return accountsPage(directories, directoryId, asked, found);
    }],
    [/^\/accounts\/(\d{16})$/, async (m) => accountPage(await overview.account(m[1]!))],
    [/^\/accounts\/(\d{16})\/guardrails$/, async (m, q) => {
      const tried = triedAction(q, m[1]!);
      if (!tried) return guardrailsPage(await services.guardrails.effectivePolicies(m[1]!), null, null);
      const simulation = await services.guardrails.simulate({
        accountId: tried.AccountId, principalType: tried.PrincipalType, action: tried.Action, resource: tried.Resource, context: tried.Context,
      });
      return guardrailsPage(simulation, tried, simulation);
    }],
    [/^\/contacts\/(c-[A-Za-z0-9]{16})$/, async (m) => {
      const detail = await overview.contact(m[1]!);
      return detail && contactPage(detail);
    }],
    [/^\/messages\/([A-Za-z0-9-]{1,64})$/, async (m) => messagePage(await overview.message(m[1]!))],
    [/^\/outbox$/, async (_m, q, caller) => {
      const filter = { to: q.get('To') ?? '', messageId: q.get('MessageId') ?? '' };
      const { Messages } = await services.outbox.list({ to: filter.to || undefined, messageId: filter.messageId || undefined, limit: 200 });
      return outboxPage(Messages, filter, csrfField(caller), retriedNotice(q, 'delivery'));
    }],
    [/^\/jobs$/, async (_m, q, caller) => jobsPage(await overview.jobs(OVERVIEW_JOBS), csrfField(caller), retriedNotice(q, 'job'))],
    [/^\/audit$/, async (_m, q) => auditPage(await listAudit(services.audit, q), q)],
    [/^\/identities$/, async () => identitiesPage(overview.identities())],
  ];
  const actions = redriveActions(services);

  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    try {
      if (isLoginPath(target.path)) return await loginRoutes(req, res, target, requestId);
      const entry = await consoleGate(req, access, login.sessions);
      if ('refusal' in entry) return sendHtml(res, entry.refusal.status, problem(entry.refusal.code, escapeHtml(entry.refusal.message)), requestId);
      if ('login' in entry) return sendToLogin(req, res, target, requestId);
      const path = target.path.slice(CONSOLE.length);
      const action = actions.map(([pattern, act]) => [pattern.exec(path), act] as const).find(([match]) => match);
      if (req.method === 'POST' && action) {
        await readConsoleForm(req, entry.caller);
        const { page, retried } = await action[1](action[0]!);
        await afterAction();
        return sendRedirect(res, `${CONSOLE}${page}?Retried=${retried}`, requestId);
      }
      if (req.method !== 'GET' || action) {
        res.setHeader('allow', action ? 'POST' : 'GET');
        return sendHtml(res, 405, problem('Method not allowed', action ? "This is a button's action: use the button on its page." : 'This page only reads.'), requestId);
      }
      for (const [pattern, render] of pages) {
        const match = pattern.exec(path);
        if (!match) continue;
        const html = await render(match, new URLSearchParams(target.query), entry.caller);
        if (html === null) return sendHtml(res, 404, problem('Not found', 'No such contact.'), requestId);
        // The logout button joins the header of every page a login session sees.
        return sendHtml(res, 200, html.replace('</header>', `${logoutButton(entry.caller)}</header>`), requestId);
      }
      return sendHtml(res, 404, problem('Not found', 'No such console page.'), requestId);
    } catch (err) {
      if (err instanceof ClientGone) throw err;
      if (err instanceof FormRefused) return sendHtml(res, err.status, problem(err.title, escapeHtml(err.message)), requestId);
      if (err instanceof ApiError && err.status === 404) return sendHtml(res, 404, problem('Not found', escapeHtml(err.message)), requestId);
      if (err instanceof ApiError && REFUSED[err.status]) return sendHtml(res, err.status, problem(REFUSED[err.status]!, `${escapeHtml(err.code)}: ${escapeHtml(err.message)}`), requestId);
      if (err instanceof StoreUnavailable) return sendHtml(res, 503, problem('Unavailable', 'The database cannot serve this page right now; try again later.'), requestId);
      log.error({ requestId, err }, 'console page failed');
      return sendHtml(res, 500, problem('Error', 'Something went wrong; the log has the details.'), requestId);
    }
  };
}
