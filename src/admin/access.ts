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

/**
 * The admin API's rule (docs/reference/model.md section 7): the bearer token when one is configured,
 * otherwise loopback peers only.
 */
export function adminAllowed(req: IncomingMessage, token: string | undefined): 'ok' | 'unauthorized' | 'forbidden' {
  if (token === undefined) {
    // Behind a reverse proxy on the same host every request comes from loopback: a
    // forwarding header says this one started elsewhere, so it needs the token too.
    return isLoopback(req.socket.remoteAddress) && !forwarded(req) ? 'ok' : 'forbidden';
  }
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'unauthorized';
}
