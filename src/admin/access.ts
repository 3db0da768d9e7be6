import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

// Headers a proxy or CDN adds to say where a request came from or was addressed to.
const FORWARDING = new Set([
  'forwarded', 'via', 'x-real-ip', 'x-client-ip', 'true-client-ip', 'cf-connecting-ip', 'fastly-client-ip',
  'x-cluster-client-ip', 'x-original-forwarded-for', 'x-forwarded', 'forwarded-for', 'client-ip',
]);

/** Any header a proxy adds: the ones above, and every `X-Forwarded-*` (For, Host, Proto, Port...). */
function forwarded(req: IncomingMessage): boolean {
  return Object.keys(req.headers).some((h) => FORWARDING.has(h) || h.startsWith('x-forwarded-'));
}

// A Host header is a name or a bracketed IPv6 address, then maybe a port: nothing else
// (no user info, path or fragment) may ride along and make URL parsing see another host.
const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(:\d{0,5})?$/;

/** The host of a Host header as URLs write it (lower case, IPv6 in brackets, canonical IPv4), or null. */
function hostName(host: string): string | null {
  if (!HOST.test(host)) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

/** `scheme://host[:port]` of a URL or an Origin header, or null (`null` itself, junk, or a scheme with no origin). */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** What the access rule needs to know of the configuration, worked out once at start. */
export interface AdminAccess {
  token: string | undefined;
  /** Host names a request may address when no token is set (see `adminAccess`). */
  ownHosts: ReadonlySet<string>;
  /** RDMC_PUBLIC_URL's origin: a browser at that address is at home too. */
  publicOrigin: string | null;
}

/**
 * The names of this server: loopback's, RDMC_PUBLIC_URL's host, and the listen address as
 * written (the start-up line prints it in the server's URL; a rebinding page's Host is its
 * own domain name, never an address, so even 0.0.0.0 opens nothing).
 */
export function adminAccess(config: { adminToken?: string | undefined; publicUrl?: string | undefined; host: string }): AdminAccess {
  const ownHosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  const publicHost = config.publicUrl === undefined ? null : new URL(config.publicUrl).hostname;
  if (publicHost) ownHosts.add(publicHost);
  const listenHost = hostName(config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host);
  if (listenHost) ownHosts.add(listenHost);
  return { token: config.adminToken, ownHosts, publicOrigin: config.publicUrl === undefined ? null : originOf(config.publicUrl) };
}

export interface Refusal {
  status: 401 | 403;
  code: 'Unauthorized' | 'Forbidden';
  message: string;
}

const forbidden = (message: string): Refusal => ({ status: 403, code: 'Forbidden', message });

/** A missing or wrong bearer token, where one is configured. */
export const BEARER_REQUIRED: Refusal = { status: 401, code: 'Unauthorized', message: 'A valid "Authorization: Bearer <RDMC_ADMIN_TOKEN>" header is required.' };

/**
 * Whether a browser sent this request on behalf of a page of another site or origin. A
 * page anywhere can make the developer's browser POST a "simple" request (text/plain, no
 * preflight) to 127.0.0.1, or read the answers through DNS rebinding: browsers say where
 * a request started (`Sec-Fetch-Site`, `Origin`), so such requests are refused whatever
 * credentials they carry. Clients other than browsers send neither header.
 */
function fromElsewhere(req: IncomingMessage, access: AdminAccess): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const given = originOf(origin);
  if (given === null) return true;
  const host = req.headers.host;
  // Plain HTTP here, or HTTPS at a proxy that keeps the Host header.
  const own = host && hostName(host) ? [originOf(`http://${host}`), originOf(`https://${host}`)] : [];
  return ![...own, access.publicOrigin].includes(given);
}

/** Whether the Host header names this server; a request without one comes from no browser, so it passes. */
function addressedHere(req: IncomingMessage, access: AdminAccess): boolean {
  const host = req.headers.host;
  if (host === undefined) return true;
  const name = hostName(host);
  return name !== null && access.ownHosts.has(name);
}

/** Whether `given` is the admin token, compared in constant time (the lengths alone may differ quickly). */
export function isAdminToken(given: string, access: AdminAccess): boolean {
  if (access.token === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(access.token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the request carries `Authorization: Bearer <the admin token>`. */
export function hasBearerToken(req: IncomingMessage, access: AdminAccess): boolean {
  return isAdminToken(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '', access);
}

/**
 * The first step of every admin and console rule: a browser request sent for a page of
 * another site or origin is refused, whatever credentials it carries (see `fromElsewhere`).
 */
export function browserRefusal(req: IncomingMessage, access: AdminAccess): Refusal | null {
  return fromElsewhere(req, access)
    ? forbidden('The admin API and the console refuse requests a browser sends for a page of another site or origin.')
    : null;
}

/**
 * Without a token, the admin API and the console answer loopback peers only, with a Host
 * header naming this server (a DNS-rebinding page reaches 127.0.0.1 under its own name).
 */
export function loopbackRefusal(req: IncomingMessage, access: AdminAccess): Refusal | null {
  // Behind a reverse proxy on the same host every request comes from loopback: a
  // forwarding header says this one started elsewhere, so it needs the token too.
  if (!isLoopback(req.socket.remoteAddress) || forwarded(req)) {
    return forbidden('The admin API answers loopback peers only unless RDMC_ADMIN_TOKEN is set.');
  }
  if (!addressedHere(req, access)) {
    return forbidden(
      'Without RDMC_ADMIN_TOKEN the admin API answers only requests whose Host is localhost, 127.0.0.1, [::1], the listen address or the host of RDMC_PUBLIC_URL.',
    );
  }
  return null;
}

/**
 * The access rule of the admin JSON API (docs/reference/model.md section 7), null when the
 * request may go on. Browser requests from another site or origin are refused first, token
 * or not. Then the bearer token when one is configured (a console session's cookie does not
 * count here: it opens the console's pages and forms only, src/console/gate.ts); otherwise
 * `loopbackRefusal`.
 */
export function adminRefusal(req: IncomingMessage, access: AdminAccess): Refusal | null {
  const elsewhere = browserRefusal(req, access);
  if (elsewhere) return elsewhere;
  if (access.token !== undefined) {
    if (hasBearerToken(req, access)) return null;
    return BEARER_REQUIRED;
  }
  return loopbackRefusal(req, access);
}
