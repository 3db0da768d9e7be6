import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import { isLoopback } from '../admin/access.js';
import type { Clock } from '../domain/clock.js';

/** Failed logins a peer may make in a window; then every attempt is refused until the window ends. */
export const LOGIN_FAILURES = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Peers remembered at most; past it, the one whose window started first is forgotten. */
export const LOGIN_PEERS = 10_000;

/**
 * Who is trying to log in, as the limit counts them: the peer's address, or the last address
 * of `X-Forwarded-For` when the peer is a proxy on this host (loopback). IPv6 peers count by
 * their /64, the block one machine usually holds, so hopping addresses within it gains nothing.
 */
export function loginPeer(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  const last = typeof forwarded === 'string' && isLoopback(peer) ? forwarded.split(',').at(-1)!.trim() : '';
  const address = ipaddr.isValid(last) ? last : peer;
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address);
  return ip.kind() === 'ipv6' ? `${(ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64` : ip.toString();
}

/**
 * The login form's brute-force guard: failures per peer in a fixed window from the first one,
 * in memory (each node counts its own; docs/operations.md says what that means behind a load
 * balancer), bounded to `LOGIN_PEERS` peers. Time is the domain's clock, so tests move it.
 */
export class LoginAttempts {
  private readonly peers = new Map<string, { since: number; failures: number }>();

  constructor(private readonly clock: Clock) {}

  /** Milliseconds until `peer` may try again; 0 when it may now. */
  waitFor(peer: string): number {
    const entry = this.current(peer);
    return entry && entry.failures >= LOGIN_FAILURES ? entry.since + LOGIN_WINDOW_MS - this.clock.now() : 0;
  }

  failed(peer: string): void {
    const entry = this.current(peer);
    if (entry) {
      entry.failures += 1;
      return;
    }
    // A Map iterates in insertion order: the first key is the oldest window.
    if (this.peers.size >= LOGIN_PEERS) this.peers.delete(this.peers.keys().next().value!);
    this.peers.set(peer, { since: this.clock.now(), failures: 1 });
  }

  succeeded(peer: string): void {
    this.peers.delete(peer);
  }

  /** The peer's window, if one is open (an ended one is forgotten). */
  private current(peer: string) {
    const entry = this.peers.get(peer);
    if (entry && this.clock.now() - entry.since >= LOGIN_WINDOW_MS) {
      this.peers.delete(peer);
      return undefined;
    }
    return entry;
  }
}
