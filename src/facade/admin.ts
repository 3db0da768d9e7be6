import { setTimeout as sleep } from 'node:timers/promises';
import { advanceBody, asyncBody, checkedBody, checkedLimit, seedBody } from '../admin/routes.js';
import type { TimeControl } from '../admin/time.js';
import type { Services } from '../services/index.js';
import type { OperationsService } from '../services/operations.js';
import type { StateFile } from '../services/state-file.js';
import type { AdminApi, MessageMatch, OutboxMessage } from './types.js';

export interface InProcessAdminDeps {
  services: Services;
  operations: OperationsService;
  time: TimeControl;
  /** The account seeding acts as when none is named: the first configured key's. */
  defaultAccountId: string;
  /** As after an admin request: jobs a call queued run first in `immediate` mode, else the worker is woken. */
  afterAction: () => Promise<void>;
  /** A state file given in process: checked as `rdmc import` checks one (src/facade/state-input.ts). */
  readState: (file: unknown, place: string) => Promise<StateFile>;
}

/** How often `waitForMessage` reads the outbox again: real time, whatever clock the server runs on. */
const WAIT_POLL_MS = 20;
const WAIT_DEFAULT_MS = 5_000;

/**
 * The admin API for a program that embeds rdmc (`RunningServer.admin`): the routes of
 * src/admin/routes.ts without HTTP, over the same services and with the same body checks.
 * Calls are not in the audit trail: the embedding program is no remote operator.
 */
export function inProcessAdmin(deps: InProcessAdminDeps): AdminApi {
  const { services, operations, time } = deps;
  const then = async <T>(result: Promise<T> | T): Promise<T> => {
    const value = await result;
    await deps.afterAction();
    return value;
  };
  const list = async (filter: { to?: string; messageId?: string; limit?: number } = {}) =>
    (await services.outbox.list({ to: filter.to || undefined, messageId: filter.messageId || undefined, limit: checkedLimit(filter.limit ?? 100) }))
      .Messages as OutboxMessage[];

  return {
    reset: () => then(services.state.reset()),
    outbox: {
      list,
      clear: async (messageIds) => (await then(services.outbox.clear(messageIds && messageIds.length > 0 ? messageIds : null))).Cleared,
      async waitForMessage(match) {
        const timeoutMs = match.timeoutMs ?? WAIT_DEFAULT_MS;
        const until = Date.now() + timeoutMs;
        for (;;) {
          const found = (await list({ to: match.to, limit: 1000 })).find((m) => matches(m, match));
          if (found) return found;
          if (Date.now() >= until) {
            const { Mode } = operations.asyncSettings();
            throw new Error(`no message to ${match.to} matched within ${timeoutMs} ms${Mode === 'manual' ? ' (async mode manual: admin.runJobs() releases held jobs)' : ''}`);
          }
          await sleep(WAIT_POLL_MS);
        }
      },
    },
    jobs: async (limit = 100) => services.overview.jobs(checkedLimit(limit)),
    runJobs: async () => (await then(operations.runJobs())).Released,
    asyncMode: {
      get: async () => operations.asyncSettings(),
      set: async (mode, delayMs) => then(operations.setAsyncSettings(checkedBody(asyncBody, { Mode: mode, DelayMs: delayMs }))),
    },
    async seed(options) {
      const body = checkedBody(seedBody, {
        Accounts: options.accounts,
        ParentFolderId: options.parentFolderId,
        AccountId: options.accountId,
        DisplayNamePrefix: options.displayNamePrefix,
      });
      return then(services.directory.seedAccounts(body.AccountId ?? deps.defaultAccountId, { ParentFolderId: body.ParentFolderId, Count: body.Accounts, DisplayNamePrefix: body.DisplayNamePrefix }));
    },
    exportState: () => services.state.exportJson(async (chunks) => {
      let text = '';
      for await (const chunk of chunks) text += chunk;
      return JSON.parse(text) as StateFile;
    }),
    async importState(file, options = {}) {
      const state = await deps.readState(file, 'importState');
      return then(options.mode === 'apply' ? services.state.apply(state) : services.state.replace(state));
    },
    time: {
      now: async () => new Date(time.read().Now),
      advance: async (ms) => new Date((await then(time.advance(checkedBody(advanceBody, { Milliseconds: ms }).Milliseconds))).Now),
    },
  };
}

function matches(m: OutboxMessage, match: MessageMatch): boolean {
  if (match.channel !== undefined && m.Channel !== match.channel) return false;
  if (match.kind !== undefined && (m.Link !== '') !== (match.kind === 'verification')) return false;
  if (match.subject === undefined) return true;
  return typeof match.subject === 'string' ? m.Subject === match.subject : match.subject.test(m.Subject);
}
