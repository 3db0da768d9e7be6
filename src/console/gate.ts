import type { IncomingMessage } from 'node:http';
import { BEARER_REQUIRED, browserRefusal, hasBearerToken, loopbackRefusal, type AdminAccess, type Refusal } from '../admin/access.js';
import type { ConsoleCaller } from './csrf.js';
import { sessionSecretOf } from './session-cookie.js';
import type { ConsoleSessions } from './sessions.js';

/** Who may see the console: a caller, a refusal, or (token set, no valid credential) the login form. */
export type ConsoleEntry = { caller: ConsoleCaller } | { refusal: Refusal } | { login: true };

/**
 * The console's access rule. Browser requests from another site or origin are refused first
 * (src/admin/access.ts). Without RDMC_ADMIN_TOKEN: loopback peers addressing this server, as
 * for the admin API, with no login. With it: the bearer token (scripts), or a live login
 * session's cookie (browsers); anything else is sent to the login form, but a wrong bearer
 * token is refused outright, as the admin API refuses it.
 */
export async function consoleGate(req: IncomingMessage, access: AdminAccess, sessions: ConsoleSessions): Promise<ConsoleEntry> {
  const elsewhere = browserRefusal(req, access);
  if (elsewhere) return { refusal: elsewhere };
  if (access.token === undefined) {
    const refusal = loopbackRefusal(req, access);
    return refusal ? { refusal } : { caller: { via: 'loopback' } };
  }
  if (hasBearerToken(req, access)) return { caller: { via: 'bearer' } };
  if (req.headers.authorization !== undefined) {
    return { refusal: BEARER_REQUIRED };
  }
  const secret = sessionSecretOf(req);
  if (secret !== null && (await sessions.use(secret))) return { caller: { via: 'session', secret } };
  return { login: true };
}
