import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** A forwarding header is the client's text: enough of it to read, no more, in a log line. */
const FORWARDED_MAX = 256;

export interface Peer {
  /** The address of the connection: the client's, or the proxy's when one is in front. */
  peer: string | undefined;
  /** Whether the request arrived on rdmc's HTTPS port. */
  tls: boolean;
  /** What a proxy said of the client and of the scheme it was called with, when it said it. */
  forwardedFor?: string;
  forwardedProto?: string;
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return typeof value === 'string' ? value.slice(0, FORWARDED_MAX) : undefined;
};

/**
 * Where a request came from, for the request log. Forwarding headers are logged beside the
 * connection's peer, never instead of it: any client can send them, and only the operator
 * knows whether a proxy in front sets them (docs/operations.md, Reverse proxy).
 */
export function peerOf(req: IncomingMessage): Peer {
  const forwardedFor = header(req, 'x-forwarded-for');
  const forwardedProto = header(req, 'x-forwarded-proto');
  return {
    peer: req.socket.remoteAddress,
    tls: (req.socket as TLSSocket).encrypted === true,
    ...(forwardedFor !== undefined && { forwardedFor }),
    ...(forwardedProto !== undefined && { forwardedProto }),
  };
}
