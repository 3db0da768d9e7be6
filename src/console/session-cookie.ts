import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parse, serialize } from 'cookie';
import { isLoopback } from '../admin/access.js';
import { CONSOLE } from './pages.js';

/** The cookie holding a console session's secret: sent back to the console's paths only. */
export const SESSION_COOKIE = 'rdmc_console_session';

/**
 * Whether the browser reached us over HTTPS: the connection is TLS, or a proxy on this host (a
 * loopback peer) says so in `X-Forwarded-Proto` (its last value: the one the nearest proxy
 * added). A remote peer's header is not believed: anybody can send it.
 */
export function viaHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted === true) return true;
  const proto = req.headers['x-forwarded-proto'];
  if (typeof proto !== 'string' || !isLoopback(req.socket.remoteAddress)) return false;
  return proto.split(',').at(-1)!.trim().toLowerCase() === 'https';
}

/** The session secret the browser sent, or null. */
export function sessionSecretOf(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  return header ? (parse(header)[SESSION_COOKIE] ?? null) : null;
}

/**
 * The cookie: out of scripts' reach (HttpOnly), never sent on a request another site starts
 * (SameSite=Strict), only to the console's paths, `Secure` when the browser came over HTTPS.
 * No Max-Age: it ends with the browser, and the server ends the session before that anyway.
 */
export function sessionCookie(req: IncomingMessage, secret: string): string {
  return serialize(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'strict', path: CONSOLE, secure: viaHttps(req) });
}

/** Tells the browser to forget the cookie (logout, or a session found over). */
export function clearedSessionCookie(req: IncomingMessage): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: CONSOLE, secure: viaHttps(req), expires: new Date(0) });
}
