import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { errors, type ApiError } from '../domain/errors.js';
import type { Metrics } from '../observability/metrics.js';
import { ClientGone } from './read-request.js';
import { errorBody, renderError } from './render.js';
import { parseTarget, type Target } from './target.js';

/**
 * The caller's request target as a log line may show it: enough to recognise the request, and
 * without the values that prove who the caller is (a v1 GET carries its session's
 * SecurityToken and its Signature in the query).
 */
export const loggableTarget = (url: string | undefined) => url?.slice(0, 256).replace(/([?&](?:SecurityToken|Signature)=)[^&]*/gi, '$1***');

/** A handler for one family of paths; it answers every error it knows itself. */
export type Router = (req: IncomingMessage, res: ServerResponse, target: Target, requestId: string) => Promise<void>;

export interface FrontDoorDeps {
  /** The router for a target; null when no route of this node serves it. */
  route: (target: Target) => Router | null;
  requestId: () => string;
  log: Logger;
  metrics: Metrics;
}

const hostOf = (req: IncomingMessage) => req.headers.host ?? 'rdmc';

/** Node's refusals that are not malformed requests, by its error code. */
const REFUSALS: Record<string, () => ApiError> = {
  HPE_HEADER_OVERFLOW: errors.headersTooLarge,
  // The headers or the body did not arrive within the server's time limits (a slow client).
  ERR_HTTP_REQUEST_TIMEOUT: errors.requestTimeout,
};

/**
 * Where every HTTP request enters, and the one guard around every router: whatever a router
 * throws (or a target it cannot parse) becomes an answer in the RPC envelope, never an
 * exception that reaches the process. It also knows which requests are in flight, so a
 * shutdown can let them finish before the store closes.
 */
export class FrontDoor {
  private readonly inFlight = new Map<Promise<void>, ServerResponse>();
  private closing = false;

  constructor(private readonly deps: FrontDoorDeps) {}

  /** True while any request is in flight. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** How many requests are in flight: what a shutdown waits for. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    // While shutting down, every answer ends its connection: no new request can follow it.
    if (this.closing) res.shouldKeepAlive = false;
    const handled = this.handle(req, res, this.deps.requestId()).finally(() => this.inFlight.delete(handled));
    this.inFlight.set(handled, res);
  };

  /** A request Node's parser refused (bad request line, header too large...): one envelope, then close. */
  readonly onClientError = (err: Error & { code?: string }, socket: Duplex): void => {
    const pending = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || pending?.headersSent || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const apiError = REFUSALS[err.code ?? '']?.() ?? errors.malformedRequest();
    const requestId = this.deps.requestId();
    this.deps.log.debug({ requestId, code: err.code }, 'malformed request refused');
    const text = JSON.stringify(errorBody(apiError, requestId, 'rdmc'));
    socket.end(
      `HTTP/1.1 ${apiError.status} ${apiError.code}\r\ncontent-type: application/json;charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\nx-acs-request-id: ${requestId}\r\nconnection: close\r\n\r\n${text}`,
    );
  };

  private async handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    try {
      const target = parseTarget(req.url);
      const router = target && this.deps.route(target);
      if (!target || !router) return renderError(res, requestId, hostOf(req), errors.actionNotFound(), 'JSON');
      await router(req, res, target, requestId);
    } catch (err) {
      if (err instanceof ClientGone) {
        // The target is the caller's text: enough of it to recognise the request, no more.
        this.deps.log.debug({ requestId, url: loggableTarget(req.url) }, 'client closed the connection before its request was complete');
        this.deps.metrics.clientAborts.inc({});
        res.destroy();
        return;
      }
      this.deps.log.error({ requestId, err }, 'unexpected error outside the routers');
      this.answerInternalError(req, res, requestId, errors.internalError());
    }
  }

  private answerInternalError(req: IncomingMessage, res: ServerResponse, requestId: string, apiError: ApiError) {
    try {
      if (res.headersSent) res.destroy();
      else renderError(res, requestId, hostOf(req), apiError, 'JSON');
    } catch {
      res.destroy();
    }
  }

  /**
   * Stops accepting connections, lets requests in flight finish (their answers close their
   * connections), and after `graceMs` cuts whatever is still open: such a request gets no
   * answer at all. Resolves when no connection is left.
   */
  async close(server: Server, graceMs: number): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of this.inFlight.values()) if (!res.headersSent) res.shouldKeepAlive = false;
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    // Requests that arrive meanwhile on connections already open are in flight too.
    const settled = (async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.keys()]);
    })();
    await Promise.race([settled, grace]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  }
}
