/** Plain-HTTP steps of the console's login, as a browser takes them (forms, cookies, 303s). */

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Posts a console form; redirects are not followed, so the test sees the 303 and its cookie. */
export function postForm(base: string, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { ...FORM, ...headers }, body: new URLSearchParams(fields).toString() });
}

/** A console page as the given cookie sees it, redirects not followed. */
export function getPage(base: string, path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { redirect: 'manual', headers: { ...(cookie && { cookie }), ...headers } });
}

/** `name=value` of a Set-Cookie header, as a browser sends it back. */
export const cookiePair = (setCookie: string | null) => (setCookie ?? '').split(';')[0]!;

/** Logs in with `token`; answers the session cookie (`name=value`). Throws unless the login succeeded. */
export async function consoleLogin(base: string, token: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await postForm(base, '/_rdmc/console/login', { token, next: '/_rdmc/console' }, headers);
  if (r.status !== 303 || !r.headers.get('set-cookie')) throw new Error(`login refused: ${r.status} ${await r.text()}`);
  return cookiePair(r.headers.get('set-cookie'));
}

/** The CSRF field's value in a console page (its logout form's). */
export function csrfOf(html: string): string {
  const value = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!value) throw new Error('the page has no CSRF field');
  return value;
}
