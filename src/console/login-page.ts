import { escapeHtml as e } from '../domain/html.js';
import { csrfField, type ConsoleCaller } from './csrf.js';
import { CONSOLE, layout } from './pages.js';

export const LOGIN = `${CONSOLE}/login`;
export const LOGOUT = `${CONSOLE}/logout`;

/**
 * Where a login sends the browser: `next` when it is a page of the console, given as a path
 * (printable ASCII, no backslash), else the console's home. A path starting with
 * /_rdmc/console can name no other host, so the form cannot be used to send people elsewhere.
 */
export function consoleDestination(next: string | null): string {
  if (next === null || !/^\/_rdmc\/console(?:[/?][\x21-\x5b\x5d-\x7e]*)?$/.test(next)) return CONSOLE;
  return next.startsWith(LOGIN) || next.startsWith(LOGOUT) ? CONSOLE : next;
}

/** The login form's address for a browser that asked for `path?query` (kept, to return to it after the login). */
export function loginAddress(path: string, query: string, ended: boolean): string {
  const next = consoleDestination(query ? `${path}?${query}` : path);
  const params = new URLSearchParams(next === CONSOLE ? {} : { next });
  if (ended) params.set('ended', '1');
  const text = params.toString();
  return text ? `${LOGIN}?${text}` : LOGIN;
}

export interface LoginView {
  next: string;
  /** Why the last attempt failed, shown as an alert. */
  error?: string;
  /** A notice (logged out, session over). */
  notice?: string;
}

/** The login form: the admin token in a password field; the page never shows a token back. */
export function loginPage(view: LoginView): string {
  const error = view.error ? `<p role="alert" class="failed">${e(view.error)}</p>` : '';
  const notice = view.notice ? `<p role="status">${e(view.notice)}</p>` : '';
  return layout(
    'Log in',
    `${notice}${error}
<p>The console needs the admin token (<code>RDMC_ADMIN_TOKEN</code>) once; you then stay logged in until you log out or the session ends.</p>
<form method="post" action="${LOGIN}">
<input type="hidden" name="next" value="${e(view.next)}">
<p><label for="token">Admin token</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus size="40"></p>
<p><button type="submit">Log in</button></p>
</form>`,
  );
}

/** The header's logout button, for callers with a login session (others have nothing to log out of). */
export function logoutButton(caller: ConsoleCaller): string {
  if (caller.via !== 'session') return '';
  return `<form method="post" action="${LOGOUT}" style="margin-left: auto">${csrfField(caller)}<button type="submit">Log out</button></form>`;
}
