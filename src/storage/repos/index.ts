import type { Executor } from '../executor.js';
import type { Tx } from '../store.js';
import { accountRepo } from './accounts.js';
import { auditRepo } from './audit.js';
import { bindingRepo } from './bindings.js';
import { consoleSessionRepo } from './console-sessions.js';
import { contactRepo } from './contacts.js';
import { controlPolicyRepo } from './control-policies.js';
import { delegationRepo } from './delegations.js';
import { deletionRepo } from './deletions.js';
import { directoryRepo } from './directories.js';
import { accountDeletionRepo, accountPayerRepo, directorySettingsRepo, tagRepo } from './directory-state.js';
import { folderRepo } from './folders.js';
import { handshakeRepo } from './handshakes.js';
import { jobRepo } from './jobs.js';
import { messageCenterRepo } from './message-centers.js';
import { outboxRepo } from './outbox.js';
import { retentionRepo } from './retention.js';
import { stateRepo } from './state.js';
import { stsSessionRepo } from './sts-sessions.js';
import { verificationSendRepo, verificationTokenRepo } from './verification.js';

/** What a store gives the repositories beside its executor: the parts that differ per dialect. */
export interface StoreParts {
  /** Empties the state tables (the catalog and the foreign-key order differ per dialect). */
  wipe: () => Promise<void>;
  /** Where long list reads yield between steps: SQLite's, on the event loop every request shares. */
  pause?: () => Promise<void>;
}

/** Every repository of a transaction, on one executor: the same for both stores. */
export function repositories(x: Executor, parts: StoreParts): Tx {
  return {
    directories: directoryRepo(x),
    folders: folderRepo(x, parts.pause),
    accounts: accountRepo(x, parts.pause),
    contacts: contactRepo(x),
    bindings: bindingRepo(x),
    deletions: deletionRepo(x),
    jobs: jobRepo(x),
    messageCenters: messageCenterRepo(x),
    verificationTokens: verificationTokenRepo(x),
    verificationSends: verificationSendRepo(x),
    outbox: outboxRepo(x),
    directorySettings: directorySettingsRepo(x),
    tags: tagRepo(x),
    accountPayers: accountPayerRepo(x),
    accountDeletions: accountDeletionRepo(x),
    retention: retentionRepo(x),
    state: stateRepo(x, parts.wipe),
    consoleSessions: consoleSessionRepo(x),
    stsSessions: stsSessionRepo(x),
    audit: auditRepo(x),
    controlPolicies: controlPolicyRepo(x),
    delegations: delegationRepo(x),
    handshakes: handshakeRepo(x),
  };
}
