import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { writeAnswer } from '../protocol/render.js';

/**
 * Every page of the console and of the verification links goes out here, through the shared
 * `writeAnswer` (src/protocol/render.ts): a request whose body was left unread gets this one
 * answer and its connection closed, never a second answer later. The pages need nothing from
 * anywhere (no scripts; the inline style sheet is their only asset) and are never framed by
 * another page, so a click cannot be lured onto a confirm button under a disguise. `extra`
 * adds headers (a login's cookie, a Retry-After).
 */
export function sendHtml(res: ServerResponse, status: number, html: string, requestId: string, extra: OutgoingHttpHeaders = {}) {
  writeAnswer(
    res,
    status,
    {
      ...extra,
      'content-type': 'text/html;charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      // For browsers older than CSP's frame-ancestors.
      'x-frame-options': 'DENY',
      'x-acs-request-id': requestId,
    },
    html,
  );
}

/** A 303 See Other to a console page (after a form, or to the login form), with `extra` headers (a cookie). */
export function sendRedirect(res: ServerResponse, location: string, requestId: string, extra: OutgoingHttpHeaders = {}) {
  writeAnswer(res, 303, { ...extra, location, 'cache-control': 'no-store', 'x-acs-request-id': requestId }, '');
}
