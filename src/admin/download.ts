import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';

/**
 * Streams a download of the admin API to its reader. A reader that takes no byte for
 * `stallMs` is cut off, so a stalled socket cannot hold what the download holds (a temporary
 * copy of the database, a read snapshot) for as long as it stays open. Once the headers are
 * out, a failure (the reader gone, the stall) can only end the connection: no error answer
 * can follow a body begun, so it is logged and the connection closed, never thrown.
 */
export async function streamDownload(res: ServerResponse, body: Readable | AsyncIterable<string | Buffer>, stallMs: number, log: Logger, requestId: string): Promise<void> {
  res.setTimeout(stallMs, () => res.destroy(new Error(`the reader took nothing for ${stallMs} ms`)));
  try {
    await pipeline(body, res);
  } catch (err) {
    res.destroy();
    log.info({ requestId, reason: (err as Error).message }, 'download cut off before its end');
  } finally {
    res.socket?.setTimeout(0);
  }
}
