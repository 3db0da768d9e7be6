import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { adminRefusal, type AdminAccess } from '../admin/access.js';
import { ApiError } from '../domain/errors.js';
import { escapeHtml } from '../domain/html.js';
import type { Target } from '../protocol/target.js';
import { StoreUnavailable } from '../storage/unavailable.js';
import type { Services } from '../services/index.js';
import { OVERVIEW_JOBS } from '../services/overview.js';
import { sendHtml } from './html-answer.js';
import { CONSOLE, contactPage, directoryPage, jobsPage, layout, messageCenterPage, outboxPage } from './pages.js';

const problem = (title: string, text: string) => layout(title, `<p>${text}</p>`);

/** A browser's GET of `/`: sent on to the console. RPC callers always send a query, a body or a signature. */
export function wantsConsole(req: IncomingMessage, target: Target): boolean {
  return req.method === 'GET' && target.query === '' && !req.headers.authorization && (req.headers.accept ?? '').includes('text/html');
}

/** The web console under /_rdmc/console, behind the admin API's access rule; it reads through the services. */
export function consoleApp(services: Services, access: AdminAccess, log: Logger) {
  const pages: Array<[RegExp, (m: RegExpExecArray, query: URLSearchParams) => Promise<string | null>]> = [
    [/^\/?$/, async () => directoryPage(await services.overview.directories())],
    [/^\/contacts\/(c-[A-Za-z0-9]{16})$/, async (m) => {
      const detail = await services.overview.contact(m[1]!);
      return detail && contactPage(detail);
    }],
    [/^\/accounts\/(\d{16})$/, async (m) => messageCenterPage(await services.messageCenters.read(m[1]!))],
    [/^\/outbox$/, async (_m, q) => {
      const filter = { to: q.get('To') ?? '', messageId: q.get('MessageId') ?? '' };
      const { Messages } = await services.outbox.list({ to: filter.to || undefined, messageId: filter.messageId || undefined, limit: 200 });
      return outboxPage(Messages, filter);
    }],
    [/^\/jobs$/, async () => jobsPage(await services.overview.jobs(OVERVIEW_JOBS))],
  ];

  return async (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => {
    try {
      const refusal = adminRefusal(req, access);
      if (refusal) return sendHtml(res, refusal.status, problem(refusal.code, escapeHtml(refusal.message)), requestId);
      if (req.method !== 'GET') {
        res.setHeader('allow', 'GET');
        return sendHtml(res, 405, problem('Method not allowed', 'The console only reads.'), requestId);
      }
      const path = target.path.slice(CONSOLE.length);
      for (const [pattern, render] of pages) {
        const match = pattern.exec(path);
        if (!match) continue;
        const html = await render(match, new URLSearchParams(target.query));
        return html === null ? sendHtml(res, 404, problem('Not found', 'No such contact.'), requestId) : sendHtml(res, 200, html, requestId);
      }
      return sendHtml(res, 404, problem('Not found', 'No such console page.'), requestId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return sendHtml(res, 404, problem('Not found', err.message), requestId);
      if (err instanceof ApiError && err.status === 400) return sendHtml(res, 400, problem('Bad request', escapeHtml(err.message)), requestId);
      if (err instanceof StoreUnavailable) return sendHtml(res, 503, problem('Unavailable', 'The database cannot serve this page right now; try again later.'), requestId);
      log.error({ requestId, err }, 'console page failed');
      return sendHtml(res, 500, problem('Error', 'Something went wrong; the log has the details.'), requestId);
    }
  };
}
