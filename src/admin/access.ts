import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/**
 * The admin API's rule (docs/reference/model.md section 7): the bearer token when one is configured,
 * otherwise loopback peers only.
 */
export function adminAllowed(req: IncomingMessage, token: string | undefined): 'ok' | 'unauthorized' | 'forbidden' {
  if (token === undefined) {
    // Behind a reverse proxy on the same host every request comes from loopback: a
    // forwarding header says this one started elsewhere, so it needs the token too.
    const forwarded = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((h) => req.headers[h] !== undefined);
    return isLoopback(req.socket.remoteAddress) && !forwarded ? 'ok' : 'forbidden';
  }
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'unauthorized';
}
