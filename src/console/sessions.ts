import { createHash } from 'node:crypto';
import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import { locks } from '../storage/locks.js';
import type { Store } from '../storage/store.js';

/** How long a console session lasts: the settings RDMC_CONSOLE_IDLE_TIMEOUT_MS and RDMC_CONSOLE_SESSION_LIFETIME_MS. */
export interface SessionLimits {
  /** A session not used for this long is over. */
  idleMs: number;
  /** A session is over this long after its login, however busy. */
  lifetimeMs: number;
}

/** Live sessions at most: each login forgets the sessions used longest ago beyond it, so the table stays small. */
export const MAX_CONSOLE_SESSIONS = 1_000;

/** What a session's secret looks like (`IdSource.token`: 32 random bytes, base64url): anything else is not looked up. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The console's login sessions, kept in the database (table `console_sessions`) so that every
 * node of a PostgreSQL deployment knows them, they survive restarts, and logging out ends a
 * session everywhere at once. The browser holds the secret in a cookie; the row holds only its
 * SHA-256, so a backup or a dump of the database opens nothing. Time is the domain's clock.
 */
export class ConsoleSessions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    readonly limits: SessionLimits,
  ) {}

  /** A use refreshes the row's last use at most this often, so reading pages seldom writes. */
  private get touchEveryMs(): number {
    return Math.min(60_000, this.limits.idleMs / 10);
  }

  /** Opens a session and answers its secret, for the cookie. */
  async open(): Promise<string> {
    const secret = this.ids.token();
    const now = this.clock.now();
    await this.store.transaction(locks.consoleSessions, async (tx) => {
      await tx.consoleSessions.insert({ secretHash: secretHash(secret), createdAt: now, lastSeenAt: now });
      await tx.consoleSessions.keepLatest(MAX_CONSOLE_SESSIONS);
    });
    return secret;
  }

  /** Whether `secret` names a live session, which this use keeps alive; expired, logged-out and unknown secrets are not. */
  async use(secret: string): Promise<boolean> {
    if (!SECRET.test(secret)) return false;
    const hash = secretHash(secret);
    const session = await this.store.readOne((tx) => tx.consoleSessions.byHash(hash));
    const now = this.clock.now();
    if (!session || now - session.lastSeenAt >= this.limits.idleMs || now - session.createdAt >= this.limits.lifetimeMs) return false;
    if (now - session.lastSeenAt >= this.touchEveryMs) {
      await this.store.transaction(locks.consoleSessions, (tx) => tx.consoleSessions.touch(hash, now));
    }
    return true;
  }

  /** Ends the session on every node (logout): its secret opens nothing any more. */
  async close(secret: string): Promise<void> {
    if (!SECRET.test(secret)) return;
    await this.store.transaction(locks.consoleSessions, (tx) => tx.consoleSessions.delete(secretHash(secret)));
  }
}
