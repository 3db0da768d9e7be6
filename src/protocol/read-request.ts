import type { IncomingMessage } from 'node:http';
import { ApiError, errors } from '../domain/errors.js';

/** The most any path of rdmc reads of a request body. */
export const MAX_BODY_BYTES = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * The client closed the connection before its request arrived in full. Nobody is waiting for
 * an answer: this is the client's doing, never a server error.
 */
export class ClientGone extends Error {
  constructor() {
    super('the client closed the connection before the request was complete');
    this.name = 'ClientGone';
  }
}

/** True when the request announces a body (a length above zero, or chunks). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Buffers the body (chunked or not), refusing anything over 1 MiB: at once when the declared
 * length says so, else as soon as the bytes read pass the limit. The rest is never read (the
 * answer closes the connection, see `writeAnswer`).
 */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  // Every v3 SDK call is a POST with `Content-Length: 0`: there is nothing to wait for, and
  // skipping the stream's async iterator saves a measurable share of a small request's CPU
  // (about 1.5% in the bench profile). Node discards the empty stream when the answer ends.
  if (!hasBody(req)) return EMPTY;
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw errors.requestTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw errors.requestTooLarge();
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    // Past the limit is ours to answer; any other failure of the stream is a connection gone mid-body.
    throw err instanceof ApiError || req.complete ? err : new ClientGone();
  }
  if (!req.complete) throw new ClientGone();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
