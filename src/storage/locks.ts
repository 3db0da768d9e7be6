import type { WriteLock } from './store.js';

/**
 * Which rules serialise on what: the one place that says it. Every write transaction
 * names its lock here and the store takes it before the work starts (see
 * `Store.transaction`), so a writer cannot forget it.
 *
 * - Everything one directory holds (folders, members, contacts, bindings, deletions, message
 *   centers, owners' subscriptions, verification send counts) serialises on the directory:
 *   a rule that reads several of them (the contact quota, the binding limit, a pending job,
 *   a fan-out batch computed from the bindings, a deletion's coverage check) must not decide
 *   from rows another writer is changing.
 * - Enabling a directory, and laying accounts down at start-up, serialise on the account
 *   IDs: there is no directory row yet. Work on whole directories (importing a state file,
 *   destroying a directory) takes both: the owners' IDs, then their directories.
 * - Job bookkeeping (claim, heartbeat, release) and delivery records touch only their own
 *   row, which the job's own lock already guards.
 *
 * It lives beside the store, below services and jobs, so that the worker's own writes
 * (retention, job bookkeeping) name their lock without importing a service.
 */
export const locks = {
  /** An API call of a management account on its directory. */
  callerDirectory: (callerAccountId: string): WriteLock => ({ managedBy: callerAccountId }),
  /** A background batch or a verification link, which know the directory's ID. */
  directory: (directoryId: string): WriteLock => ({ directory: directoryId }),
  /** An operator's change to one member's message center (its owner's subscriptions). */
  memberDirectory: (accountId: string): WriteLock => ({ memberOf: accountId }),
  /** Accounts before they have a directory. */
  accounts: (accountIds: string[]): WriteLock => ({ accounts: accountIds }),
  /** Accounts and the directories they manage, for work on whole directories (importing a state, destroying one). */
  owners: (accountIds: string[]): WriteLock => ({ owners: accountIds }),
  /**
   * An invitee's answer to an invitation: its own account (which enabling a directory of its
   * own locks too), then the directory the inviting management account manages (which
   * cancelling the invitation and every change to the directory lock).
   */
  invitee: (inviteeAccountId: string, masterAccountId: string): WriteLock => ({ owners: [inviteeAccountId, masterAccountId] }),
  /** The job table's own bookkeeping (claims and heartbeats are single statements: `Store.writeOne`). */
  jobs: { nothing: 'a job row is guarded by the job lock' } as WriteLock,
  /** Outbox rows: written once per message, updated only by the job that delivers it. */
  outbox: { nothing: 'an outbox row is written once, then only by its own delivery job or an operator clearing it' } as WriteLock,
  /** Console sessions: a row is written by its own login, uses and logout, and read by nothing else. */
  consoleSessions: { nothing: 'a console session row is written only by its own login, uses and logout' } as WriteLock,
  /**
   * STS sessions: a row is written once by its AssumeRole and deleted by retention. The trust
   * it was issued under is read again at each use (src/storage/repos/sts-sessions.ts), so a
   * member leaving while a session is issued needs no lock to be seen.
   */
  stsSessions: { nothing: 'an STS session row is written once, read by its own requests and deleted by retention' } as WriteLock,
  /** Retention: deletes only rows past their retention, which no rule reads any more. */
  retention: { nothing: 'pruning deletes finished records no rule reads any more' } as WriteLock,
};
