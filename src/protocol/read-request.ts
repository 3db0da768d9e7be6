import type { IncomingMessage } from 'node:http';
import { errors } from '../domain/errors.js';

const MAX_BODY_BYTES = 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** Buffers the body (chunked or not), refusing anything over 1 MiB. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  // Every v3 SDK call is a POST with `Content-Length: 0`: there is nothing to wait for, and
  // skipping the stream's async iterator saves a measurable share of a small request's CPU
  // (about 1.5% in the bench profile). Node discards the empty stream when the answer ends.
  if (req.headers['content-length'] === '0') return EMPTY;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw errors.requestTooLarge();
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

export function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
