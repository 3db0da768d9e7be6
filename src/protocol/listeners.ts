import type { Server } from 'node:http';
import type { TlsMaterial } from '../tls/material.js';
import type { FrontDoor } from './front-door.js';
import { createHttpServer, listen, type HttpLimits } from './http-server.js';

export interface Bound {
  url: string;
  port: number;
}

/** Where a node listens: its URL (HTTP's, or HTTPS's when it serves HTTPS alone), and HTTPS's when it serves it. */
export interface BoundListeners extends Bound {
  https: Bound | null;
}

export interface ListenSettings extends HttpLimits {
  host: string;
  http: boolean;
  port: number;
  tlsPort?: number | undefined;
}

/**
 * The HTTP server, the HTTPS one or both, in front of one front door: every request takes
 * the same way in whichever port it arrives on.
 */
export class Listeners {
  private readonly http: Server | null;
  private readonly https: Server | null;

  constructor(
    private readonly frontDoor: FrontDoor,
    private readonly settings: ListenSettings,
    tls: TlsMaterial | null,
  ) {
    this.http = settings.http ? createHttpServer(frontDoor, settings) : null;
    this.https = tls ? createHttpServer(frontDoor, settings, tls) : null;
  }

  /** Listens on every port; when one cannot (a port in use), none is left listening. */
  async listen(): Promise<BoundListeners> {
    const { host, port, tlsPort } = this.settings;
    try {
      const [plain, secure] = await Promise.all([
        this.http && listen(this.http, host, port),
        this.https && listen(this.https, host, tlsPort ?? 0, 'https'),
      ]);
      return { ...(plain ?? secure!), https: secure };
    } catch (err) {
      await this.close(0);
      throw err;
    }
  }

  /** Stops both servers as FrontDoor.close stops one: requests in flight on either finish within `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const servers = [this.http, this.https].filter((s): s is Server => s !== null);
    await Promise.all(servers.map((server) => this.frontDoor.close(server, graceMs)));
  }
}
