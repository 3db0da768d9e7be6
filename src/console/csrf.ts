import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { escapeHtml } from '../domain/html.js';
import { ApiError } from '../domain/errors.js';
import { isForm, readBody } from '../protocol/read-request.js';

/**
 * CSRF protection of every console form. How to add a console action (a POST button):
 *
 * - Render: put `csrfField(caller)` inside the `<form method="post">` (the page's caller is
 *   the one `consoleGate`, src/console/gate.ts, let in).
 * - Handle: read the body with `await readConsoleForm(req, caller)` before doing anything; it
 *   throws `FormRefused` (403 without a valid field, 415 for a body that is not a URL-encoded
 *   form, 413 past 1 MiB), which the console renders as a problem page, and answers the
 *   form's fields. Answer a successful POST with a 303 to a page (post/redirect/get).
 *
 * What protects a form depends on how the caller got in:
 * - A login session (cookie): a synchronizer token tied to the session. The field holds an
 *   HMAC of the session's secret, so it is the same on every node and for the session's whole
 *   life, needs no storage, and no page of another site can know it (it never sees the
 *   cookie, nor our pages). The cookie is also `SameSite=Strict`.
 * - `Authorization: Bearer` (scripts, curl): no browser sends that header on its own, so a
 *   request carrying it is no forgery; the field is not needed.
 * - Loopback without RDMC_ADMIN_TOKEN (no login, no session): the access rule already refuses
 *   what a browser sends for a page of another site or origin (`Sec-Fetch-Site`, `Origin`) and
 *   any Host but this server's (DNS rebinding): src/admin/access.ts. There is no secret to tie
 *   a token to, so the field is empty and not checked.
 */

/** Who a console request comes from, as `consoleGate` (src/console/gate.ts) found it. */
export type ConsoleCaller = { via: 'loopback' } | { via: 'bearer' } | { via: 'session'; secret: string };

/** The name of the hidden field. */
export const CSRF_FIELD = 'csrf';

/** What a console form's POST is refused with; the console shows it as a problem page. */
export class FormRefused extends Error {
  constructor(
    readonly status: 403 | 413 | 415,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'FormRefused';
  }
}

/** The session's form token: an HMAC keyed with its secret (one way: the page shows the token, never the secret). */
function formToken(secret: string): string {
  return createHmac('sha256', secret).update('rdmc console form').digest('base64url');
}

/** The hidden field every console form carries (empty for callers without a session: see above). */
export function csrfField(caller: ConsoleCaller): string {
  return caller.via === 'session' ? `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(formToken(caller.secret))}">` : '';
}

/** Whether the form's field is the session's token (compared in constant time); always true for callers without a session. */
export function csrfValid(caller: ConsoleCaller, form: URLSearchParams): boolean {
  if (caller.via !== 'session') return true;
  const given = Buffer.from(form.get(CSRF_FIELD) ?? '');
  const expected = Buffer.from(formToken(caller.secret));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Reads a console form's URL-encoded body (1 MiB at most); throws `FormRefused` when it is not one. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!isForm(req)) throw new FormRefused(415, 'Unsupported form', 'Console forms are sent as application/x-www-form-urlencoded.');
  try {
    return new URLSearchParams((await readBody(req)).toString('utf8'));
  } catch (err) {
    if (err instanceof ApiError) throw new FormRefused(413, 'Form too large', err.message);
    throw err;
  }
}

/** Reads a console form and checks its CSRF field (see above); throws `FormRefused` (403) when the field is missing or wrong. */
export async function readConsoleForm(req: IncomingMessage, caller: ConsoleCaller): Promise<URLSearchParams> {
  const form = await readForm(req);
  if (!csrfValid(caller, form)) {
    throw new FormRefused(403, 'Form expired', 'This form is not from your console session (it may be from an earlier login); open the page again and resend.');
  }
  return form;
}
