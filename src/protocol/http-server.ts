import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TlsMaterial } from '../tls/material.js';
import type { FrontDoor } from './front-door.js';

/** Node's and OpenSSL's codes of a handshake that failed or timed out. */
const TLS_FAILURE = /^ERR_(TLS|SSL)_/;

/** A request's headers must arrive within this time (or the request timeout, when shorter). */
const HEADERS_TIMEOUT_MS = 10_000;

export interface HttpLimits {
  requestTimeoutMs: number;
  maxConnections: number;
}

/**
 * The HTTP server in front of `frontDoor`, with its limits on slow and numerous clients;
 * an HTTPS one with `tls`, which serves the same requests the same way.
 */
export function createHttpServer(frontDoor: FrontDoor, limits: HttpLimits, tls?: TlsMaterial): Server {
  // Without a Host header Node would answer a bare 400 itself: rdmc answers in its envelope
  // (v1 signatures do not cover Host; v3 ones sign it, so it is checked there).
  // Slow clients are timed out (Node checks its connections once per interval; its default,
  // 30 s, would let a 1 s limit run to 31 s).
  const options = { requireHostHeader: false, connectionsCheckingInterval: Math.min(1_000, limits.requestTimeoutMs) };
  const headersTimeout = Math.min(HEADERS_TIMEOUT_MS, limits.requestTimeoutMs);
  // A handshake gets no longer than headers do (Node's default is 2 minutes).
  const server: Server = tls
    ? createHttpsServer({ ...options, ...tls, handshakeTimeout: headersTimeout }, frontDoor.onRequest)
    : createServer(options, frontDoor.onRequest);
  // A connection that trickles its headers or body holds a socket and a file descriptor:
  // each gets a deadline, and the number of connections a cap.
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = headersTimeout;
  server.maxConnections = limits.maxConnections;
  // A handshake that failed (garbage, plain HTTP, a client that distrusts the certificate,
  // or one too slow) closes its connection: no answer can be written before a handshake.
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) =>
    TLS_FAILURE.test(err.code ?? '') ? socket.destroy() : frontDoor.onClientError(err, socket),
  );
  // Idle keep-alive connections stay open longer than clients keep theirs (SDK agents and
  // load balancers idle for up to a minute): a server that closes first races the client's
  // next request on that socket, which the client sees as ECONNRESET. Shutdown closes idle
  // connections itself, so a long timeout never delays a stop.
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Listens on `host`:`port` and resolves to the server's URL (an IPv6 host in brackets). */
export async function listen(server: Server, host: string, port: number, scheme: 'http' | 'https' = 'http'): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return { url: `${scheme}://${displayHost}:${bound}`, port: bound };
}
