import type {
  AccountDeletionRecord,
  Channel,
  AccountRecord,
  ControlPolicyAttachmentRecord,
  ControlPolicyRecord,
  ControlPolicyTargetType,
  ConsoleSessionRecord,
  BindingRecord,
  ContactRecord,
  DeletionRecord,
  DelegatedAdministrator,
  DelegationRecord,
  EnabledService,
  DirectoryRecord,
  DirectorySettingsRecord,
  FolderRecord,
  HandshakeRecord,
  JobRecord,
  MessageCenterEntry,
  MessageCenterKey,
  OutboxRecord,
  Page,
  RetainedSnapshot,
  StsSessionLookup,
  StsSessionRecord,
  TagFilter,
  TagRecord,
  TagResourceType,
  VerificationTokenRecord,
} from './records.js';
import type { MessageType } from '../domain/contact-rules.js';
import type { AuditEntry, AuditRecord } from '../audit/entry.js';
import { LEGACY_TABLE } from './migrations/legacy.js';
import { VERSIONS_TABLE } from './schema-version.js';

/**
 * Tables a wipe (reset, import) leaves alone: the migrations' record (and its older form,
 * src/storage/migrations/legacy.ts), the signature nonces,
 * which are the protocol's memory of requests already served rather than state (were they
 * wiped, every request signed in the last 15 minutes could be replayed after a reset), the
 * console's sessions, which belong to the operators, not to the directories they look at, and
 * the audit trail, which is the record of who wiped.
 */
export const KEPT_BY_WIPE: readonly string[] = [VERSIONS_TABLE, LEGACY_TABLE, 'signature_nonces', 'console_sessions', 'audit_records', 'audit_targets'];

/**
 * The storage contract. Every method is asynchronous and dialect-neutral; SQLite and
 * PostgreSQL implement it with their own SQL. No business rule lives behind it: stores
 * read and write rows, services decide.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** True when one process at a time can use the database, so every job lock at start-up is stale. */
  readonly singleProcess: boolean;
  /** Runs `fn` with a consistent view; no writes. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on a consistent read-only view that holds no other request up however long `fn`
   * takes (an export that streams a whole directory): SQLite reads a copy taken with its online
   * backup, PostgreSQL a REPEATABLE READ snapshot on a connection of its own.
   */
  snapshot<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`, which reads with one statement: one statement sees one snapshot by itself, so
   * no transaction is opened around it (on PostgreSQL, one round trip instead of three).
   */
  readOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn`, which writes with one statement: atomic by itself, so no transaction is opened
   * around it. It takes no lock: only for the job table's bookkeeping (claim, heartbeat,
   * release), whose statements guard their own rows (see src/storage/locks.ts), and the audit
   * records no transaction carried (src/audit/trail.ts), written once and read by no rule; like
   * `batch`, it need not wait for the disk: a claim a power loss takes back is made again.
   */
  writeOne<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` atomically: everything it wrote commits together or not at all. `lock` is
   * taken before `fn` starts and held until the end, so no write path can skip the lock its
   * rule needs; `src/storage/locks.ts` says which rule takes which. Inside an audited write
   * (src/audit/scope.ts), the first transaction to commit carries the write's audit record;
   * `batch` too.
   */
  transaction<T>(lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A background batch: atomic and locked like `transaction`, but its commit does not wait
   * for the disk. Only for work that saves its own progress in the same transaction and is
   * idempotent (a job batch, a seed batch): what a power loss takes of it is redone from the
   * progress saved before. The next ordinary commit makes it durable with itself, so nothing
   * a caller is told was saved depends on it.
   */
  batch<T>(lock: WriteLock, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Records a signature nonce until `expiresAt`; false when it is already recorded and live. */
  rememberNonce(accessKeyId: string, nonce: string, expiresAt: number, now: number): Promise<boolean>;
  /**
   * Resolves when the database can serve requests now (readiness); throws `StoreUnavailable`
   * (src/storage/unavailable.ts) when it cannot.
   */
  probe(): Promise<void>;
  /** This process's connections to the database and who waits for one, now (src/observability/scrape.ts). */
  connections(): ConnectionUse;
  /** Deletes every row of state: what a fresh database holds, but for the tables of `KEPT_BY_WIPE`. */
  wipe(): Promise<void>;
  /**
   * Present where several processes share the database: calls `onWake` whenever any of them
   * commits a job that may be claimable, so idle workers need not wait for their next poll.
   * Resolves to a function that stops listening.
   */
  listenForJobs?(onWake: () => void): Promise<() => Promise<void>>;
  /**
   * Present where several processes share the database: the database server's clock now, in
   * epoch milliseconds, which every node's rules read (src/storage/store-clock.ts).
   */
  databaseTime?(): Promise<number>;
  /**
   * Present where the database is a file this process owns (SQLite): an online copy of it to
   * `destination`, taken while requests go on.
   */
  backup?(destination: string): Promise<void>;
  close(): Promise<void>;
}

/** A store's connections of this process: a PostgreSQL pool, or SQLite's one connection taken in turns. */
export interface ConnectionUse {
  /** The most there may be (the pool size; 1 on SQLite). */
  max: number;
  /** Open now. */
  open: number;
  /** Open and doing a request's or a job's work. */
  busy: number;
  /** Units of work waiting for a connection (or for SQLite's turn). */
  waiting: number;
}

/**
 * What a write transaction serialises on, among transactions on any node. SQLite has one
 * writer at a time, so every lock is already held there; PostgreSQL takes a row lock on the
 * directory, or a lock on each account ID (in ID order, so two writers never deadlock).
 */
export type WriteLock =
  /** One directory, by its ID. */
  | { directory: string }
  /** The directory this account manages (none: nothing to lock, the caller will be refused). */
  | { managedBy: string }
  /** The directory this account is a member of (none: nothing to lock). */
  | { memberOf: string }
  /** Accounts that may have no directory to lock yet (enabling one, say). */
  | { accounts: string[] }
  /** Accounts, then the directories they manage (those that exist). */
  | { owners: string[] }
  /** Rows no other writer rewrites from a stale read (the job table, the outbox): `why` says so. */
  | { nothing: string };

export interface Tx {
  directories: DirectoryRepo;
  folders: FolderRepo;
  accounts: AccountRepo;
  contacts: ContactRepo;
  bindings: BindingRepo;
  deletions: DeletionRepo;
  jobs: JobRepo;
  messageCenters: MessageCenterRepo;
  verificationTokens: VerificationTokenRepo;
  verificationSends: VerificationSendRepo;
  outbox: OutboxRepo;
  directorySettings: DirectorySettingsRepo;
  tags: TagRepo;
  accountPayers: AccountPayerRepo;
  accountDeletions: AccountDeletionRepo;
  retention: RetentionRepo;
  state: StateRepo;
  consoleSessions: ConsoleSessionRepo;
  stsSessions: StsSessionRepo;
  audit: AuditRepo;
  controlPolicies: ControlPolicyRepo;
  delegations: DelegationRepo;
  handshakes: HandshakeRepo;
}

/** A page of the audit trail: newest first, from `before` back to `from`, with at most one condition per field. */
export interface AuditQuery {
  /** Records at or after this time. */
  from: number;
  /** The keyset cursor: records strictly before this place in (time, seq) order. */
  before: { at: number; seq: number };
  action: string | null;
  actor: string | null;
  /** Records naming this ID among their targets. */
  target: string | null;
  /** true: failures only (status 400 and above); false: successes only. */
  failed: boolean | null;
  limit: number;
}

export interface AuditRepo {
  /** Writes one record; answers its `seq`. */
  insert(entry: AuditEntry): Promise<number>;
  /** Sets the outcome of a record written before its request failed. */
  settle(seq: number, status: number, code: string): Promise<void>;
  /** Newest first by (at, seq); each query reads the index of its most selective condition (target, actor, action, failures, time). */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}

export interface DirectoryRepo {
  insert(d: DirectoryRecord): Promise<void>;
  byId(id: string): Promise<DirectoryRecord | null>;
  byMasterAccount(accountId: string): Promise<DirectoryRecord | null>;
  delete(id: string): Promise<void>;
}

export interface FolderRepo {
  insert(f: FolderRecord): Promise<void>;
  byId(directoryId: string, id: string): Promise<FolderRecord | null>;
  /** Several folders of one directory at once (in no particular order); unknown IDs are absent. */
  byIds(directoryId: string, ids: string[]): Promise<FolderRecord[]>;
  byParentAndName(directoryId: string, parentId: string, name: string): Promise<FolderRecord | null>;
  /** Direct children, by creation time; `tags`: only folders carrying every one of these tags. */
  children(
    directoryId: string,
    parentId: string,
    keyword: string | null,
    tags: TagFilter[] | null,
    page: Page,
  ): Promise<{ total: number; items: FolderRecord[] }>;
  countChildren(directoryId: string, parentId: string): Promise<number>;
  /** The directory's folders, the Root not counted (the folder quota's count): read from an index, never the rows. */
  count(directoryId: string): Promise<number>;
  /**
   * The children of each of `parentIds` named after `afterName` ('' for all), by name: the
   * first `perParent` of each, with how many such children the parent has (the console's tree).
   */
  childrenByName(directoryId: string, parentIds: string[], afterName: string, perParent: number): Promise<NamedChild[]>;
  all(directoryId: string): Promise<FolderRecord[]>;
  rename(directoryId: string, id: string, name: string): Promise<void>;
  /** Which of `ids` are folders of the directory. */
  existing(directoryId: string, ids: string[]): Promise<string[]>;
  delete(directoryId: string, id: string): Promise<void>;
}

export interface AccountRepo {
  insert(a: AccountRecord): Promise<void>;
  /** Many accounts in one statement (seeding). */
  insertMany(accounts: AccountRecord[]): Promise<void>;
  byId(id: string): Promise<AccountRecord | null>;
  byDisplayName(directoryId: string, displayName: string): Promise<AccountRecord | null>;
  /** Several accounts of one directory at once (in no particular order); unknown IDs are absent. */
  byIds(directoryId: string, ids: string[]): Promise<AccountRecord[]>;
  /**
   * Accounts whose display name starts with `prefix` (byte-wise, as both stores compare), by
   * display name, the first `limit` after `afterName` (null: from the start): display names are
   * unique in a directory, so the name is the page's keyset.
   */
  byNamePrefix(directoryId: string, prefix: string, afterName: string | null, limit: number): Promise<AccountRecord[]>;
  /** How many direct members each folder has, counted no further than `cap` (a folder absent from the map has none). */
  countInFolders(directoryId: string, folderIds: string[], cap: number): Promise<Map<string, number>>;
  byAccountName(accountName: string): Promise<AccountRecord | null>;
  /**
   * `folderId` null lists the whole directory; in join order: by join time, then by the order
   * the rows were written (accounts that joined in the same millisecond).
   */
  list(directoryId: string, filter: AccountFilter, page: Page): Promise<{ total: number; items: AccountRecord[] }>;
  /**
   * The whole directory in the same order, as a keyset page: the `limit` accounts after
   * `after` (null: from the start). Only ListAccounts pages by token, and it lists no folder.
   */
  listAfter(directoryId: string, match: AccountMatch, after: AccountCursor | null, limit: number): Promise<PlacedAccount[]>;
  count(directoryId: string, filter: AccountFilter): Promise<number>;
  /** Which of `ids` are members of the directory. */
  existing(directoryId: string, ids: string[]): Promise<string[]>;
  delete(id: string): Promise<void>;
  countInFolder(directoryId: string, folderId: string): Promise<number>;
  /** The directory's accounts but `exceptId` (its management account): the member quota's count, from a count the store keeps as accounts come and go (never a count of the rows). */
  countMembers(directoryId: string, exceptId: string): Promise<number>;
  /** Members of one folder (null: the whole directory) with IDs after `afterId`, by ID. */
  batchInFolder(directoryId: string, folderId: string | null, afterId: string, limit: number): Promise<AccountRecord[]>;
  update(a: AccountRecord): Promise<void>;
}

/** A folder with how many children its parent has after the name a page started from. */
export interface NamedChild {
  folder: FolderRecord;
  siblings: number;
}

/** What an account must match, wherever it is. */
export interface AccountMatch {
  keyword: string | null;
  /** Every condition must hold (on distinct keys); null: no tag condition. */
  tags: TagFilter[] | null;
}

export interface AccountFilter extends AccountMatch {
  /** Only the direct members of this folder; null: the whole directory. */
  folderId: string | null;
}

/** A place in join order: the join time, then the store's write sequence for the account's row. */
export interface AccountCursor {
  joinTime: number;
  seq: number;
}

/** An account with its place in join order, from which the next keyset page starts. */
export interface PlacedAccount {
  account: AccountRecord;
  place: AccountCursor;
}

/** A contact as one request shows it, read with one statement (see `ContactRepo.shownTo`). */
export interface ContactShown {
  /** The directory the caller manages; null when it manages none. */
  directory: DirectoryRecord | null;
  /** The contact in that directory; null when it has none with that ID. */
  contact: ContactRecord | null;
  /** The contact's direct bindings, in binding order. */
  bindings: BindingRecord[];
}

export interface ContactRepo {
  insert(c: ContactRecord): Promise<void>;
  /** The caller's directory, one of its contacts and that contact's bindings, in one statement. */
  shownTo(masterAccountId: string, contactId: string): Promise<ContactShown>;
  byId(directoryId: string, id: string): Promise<ContactRecord | null>;
  byName(directoryId: string, name: string): Promise<ContactRecord | null>;
  count(directoryId: string): Promise<number>;
  /** In creation order (one millisecond's contacts in the order they were made). `ids` null means every contact of the directory. */
  list(directoryId: string, ids: string[] | null, page: Page): Promise<{ total: number; items: ContactRecord[] }>;
  /** Contacts with a pending email or phone, ordered like `list`. */
  withPendingTargets(directoryId: string, contactId: string | null): Promise<ContactRecord[]>;
  update(c: ContactRecord): Promise<void>;
  delete(directoryId: string, id: string): Promise<void>;
  all(directoryId: string): Promise<ContactRecord[]>;
}

export interface BindingRepo {
  insert(b: BindingRecord): Promise<void>;
  insertMany(bindings: BindingRecord[]): Promise<void>;
  /** Direct bindings of one contact, in binding order. */
  forContact(contactId: string): Promise<BindingRecord[]>;
  /** Direct bindings of several contacts at once (list pages), in binding order. */
  forContacts(contactIds: string[]): Promise<BindingRecord[]>;
  /** Contacts bound directly to any of these objects (the targets that reach one account), in binding order. */
  forMembers(memberIds: string[]): Promise<BindingRecord[]>;
  delete(contactId: string, memberId: string): Promise<void>;
  deleteForContact(contactId: string): Promise<void>;
  /** Every binding to one object (an account that leaves its directory). */
  deleteForMember(memberId: string): Promise<void>;
}

export interface DeletionRepo {
  upsert(d: DeletionRecord): Promise<void>;
  byContact(contactId: string): Promise<DeletionRecord | null>;
  /** The deletion records of several contacts at once; contacts never deleted are absent. */
  forContacts(contactIds: string[]): Promise<DeletionRecord[]>;
  delete(contactId: string): Promise<void>;
}

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  contactId: string | null;
  runAt: number;
  held: boolean;
  createdAt: number;
  /** Whose work this is (a directory ID; '' for none): lanes take turns (see JOB_SQL.nextTurn). */
  lane: string;
  /** A delivery job's outbox message, by which a retry of the delivery finds its job. */
  outboxId: string | null;
}

/** When a job put back in the queue runs: at `runAt`, or when released if `held` (the async mode's rule, src/jobs/queue.ts). */
export interface JobSchedule {
  runAt: number;
  held: boolean;
}

/** Where a bulk retry goes on from: the last job it took, in (failedAt, id) order. */
export interface FailedJobCursor {
  failedAt: number;
  id: number;
}

/**
 * Which failed jobs a retry takes: one job; the delivery jobs of some outbox messages; or a
 * batch of `limit` of the given kinds that failed for good after `after` and at `until` or
 * before, in (failedAt, id) order.
 */
export type RedriveSelection =
  | { jobId: number }
  | { outboxIds: string[] }
  | { kinds: string[]; after: FailedJobCursor; until: number; limit: number };

/** A job a retry put back in the queue. */
export interface RedrivenJob {
  id: number;
  failedAt: number;
  outboxId: string | null;
}

export interface JobRepo {
  insert(job: NewJob): Promise<number>;
  /**
   * Locks the due, unheld job with the earliest turn for `owner`; a lock older than
   * `staleBefore` counts as free. A job's turn is taken when it is queued and again when it is
   * rescheduled, and lanes take turns (see JOB_SQL.nextTurn).
   */
  claim(owner: string, now: number, staleBefore: number): Promise<JobRecord | null>;
  /**
   * Re-reads a job (who holds it now) and locks it until the transaction ends, so a claim
   * elsewhere skips the job while it runs, however long that takes.
   */
  lock(id: number): Promise<JobRecord | null>;
  /** Renews the lock of a job `owner` still holds (a long send's heartbeat); false when it no longer does. */
  touch(id: number, owner: string, lockedAt: number): Promise<boolean>;
  complete(id: number): Promise<void>;
  /** Replaces the payload (a batch cursor, say) and lets the job run again at `runAt`, at its lane's next turn. */
  reschedule(id: number, payload: Record<string, unknown>, runAt: number, attempts: number, lastError: string | null): Promise<void>;
  /** Fails the job for good at `failedAt`: it stays, with its last error, until retried or pruned. */
  markFailed(id: number, attempts: number, lastError: string, failedAt: number): Promise<void>;
  /**
   * Puts the selected jobs that failed for good back in the queue with a fresh attempt budget
   * (JOB_SQL.redrive), in one statement; jobs no longer failed are left alone.
   */
  redrive(which: RedriveSelection, schedule: JobSchedule): Promise<RedrivenJob[]>;
  /**
   * Queues a delivery job for each of these outbox messages that has no job at all (retention
   * removed its failed one before the message), in one statement; how many it queued.
   */
  enqueueDeliveries(outboxIds: string[], schedule: JobSchedule, createdAt: number): Promise<number>;
  release(now: number): Promise<number>;
  pendingForContact(contactId: string): Promise<number>;
  /** One lane's (directory's) pending jobs of a kind, in no particular order: an index range of that lane, never the whole queue. */
  pendingInLane(lane: string, kind: string): Promise<JobRecord[]>;
  /** Frees every lock: for a store only one process can use, at that process's start. */
  releaseAllLocks(): Promise<void>;
  /**
   * Earliest `runAt` among unheld pending jobs no worker has locked, for the worker's timer. A
   * job locked elsewhere is announced again when released; a stale lock is found by polling.
   */
  nextRunAt(): Promise<number | null>;
  /** The newest `limit` jobs, newest first (by ID: the primary key serves it). */
  list(limit: number): Promise<JobRecord[]>;
  /** Each kind's jobs by state, each count stopping at `cap` (index ranges, never the rows), and its oldest pending job's `runAt`. */
  census(kinds: readonly string[], cap: number): Promise<JobCensus[]>;
}

/** One kind's jobs in the table (see `JobRepo.census`): `pending` are not held. */
export interface JobCensus {
  kind: string;
  pending: number;
  held: number;
  failed: number;
  /** The earliest `runAt` of its pending jobs that are not held, due or not; null for none. */
  oldestRunAt: number | null;
}

export interface MessageCenterRepo {
  /** The owner's subscriptions; null when never set (the owner then receives every type). */
  ownerTypes(accountId: string): Promise<MessageType[] | null>;
  setOwnerTypes(accountId: string, types: MessageType[]): Promise<void>;
  /** Owners' subscriptions for several accounts; accounts never set are absent from the map. */
  ownerTypesFor(accountIds: string[]): Promise<Map<string, MessageType[]>>;
  forAccount(accountId: string): Promise<MessageCenterEntry[]>;
  forAccounts(accountIds: string[]): Promise<MessageCenterEntry[]>;
  /** Entries of one contact at accounts after `afterAccountId`, by account ID. */
  batchForContact(contactId: string, afterAccountId: string, limit: number): Promise<MessageCenterEntry[]>;
  /** Writes these entries in one statement, replacing any with the same account and contact. */
  upsertMany(entries: MessageCenterEntry[]): Promise<void>;
  /** Removes these (account, contact) entries in one statement. */
  deleteMany(keys: MessageCenterKey[]): Promise<void>;
  /** Turns every inherited copy of a contact into a retained one carrying `snapshot`. */
  retainContact(contactId: string, snapshot: RetainedSnapshot): Promise<number>;
  /** The whole message center of an account that leaves: its entries and its owner's subscriptions. */
  deleteForAccount(accountId: string): Promise<void>;
}

export interface VerificationTokenRepo {
  insert(t: VerificationTokenRecord): Promise<void>;
  byHash(tokenHash: string): Promise<VerificationTokenRecord | null>;
  /** Marks an unused token used; false when it was used already (by a concurrent confirm). */
  markUsed(tokenHash: string, usedAt: number): Promise<boolean>;
}

/** Send-rate counters, in the database so every node counts the same sends; retention prunes them. */
export interface VerificationSendRepo {
  record(target: string, sentAt: number): Promise<void>;
  countSince(target: string, since: number): Promise<number>;
}

export interface OutboxRepo {
  insert(m: OutboxRecord): Promise<void>;
  byId(id: string): Promise<OutboxRecord | null>;
  /** The messages to one address in any case of its letters (as the send limits count it), newest first. */
  forAddress(to: string, limit: number): Promise<OutboxRecord[]>;
  /** The whole outbox, newest first. */
  latest(limit: number): Promise<OutboxRecord[]>;
  /** Every copy of one message (one per recipient address), in recording order. */
  byMessageId(messageId: string, limit: number): Promise<OutboxRecord[]>;
  /** Deletes every copy of the given messages, or everything when `messageIds` is null; the number deleted. */
  clear(messageIds: string[] | null): Promise<number>;
  update(m: OutboxRecord): Promise<void>;
  /** Each channel's messages still to deliver and those failed for good, each count stopping at `cap`. */
  census(channels: readonly Channel[], cap: number): Promise<DeliveryCensus[]>;
  /** Failed deliveries in (createdAt, id) order after the cursor: a bulk retry's next batch. */
  failedAfter(after: OutboxCursor, limit: number): Promise<OutboxCursor[]>;
  /** The failed deliveries of one message (its copies are few: one per recipient address). */
  failedOfMessage(messageId: string, limit: number): Promise<OutboxCursor[]>;
  /** Sets the failed ones among these deliveries pending again (attempts and last error kept); the IDs it changed. */
  redrive(ids: string[]): Promise<string[]>;
}

export interface DeliveryCensus {
  channel: Channel;
  pending: number;
  failed: number;
}

/** A delivery as a bulk retry walks them: by creation time, then ID. */
export interface OutboxCursor {
  createdAt: number;
  id: string;
}

export interface DirectorySettingsRepo {
  get(directoryId: string): Promise<DirectorySettingsRecord | null>;
  put(settings: DirectorySettingsRecord): Promise<void>;
  delete(directoryId: string): Promise<void>;
}

export interface TagRepo {
  /** Tags of these resources, by resource ID, then key. */
  forResources(directoryId: string, type: TagResourceType, ids: string[]): Promise<TagRecord[]>;
  /** Adds or overwrites these tags, in one statement. */
  put(tags: TagRecord[]): Promise<void>;
  /** Removes the named keys (null: every key) from these resources, in one statement. */
  remove(directoryId: string, type: TagResourceType, ids: string[], keys: string[] | null): Promise<void>;
  /** Resources among `ids` carrying more than `limit` tags. */
  overLimit(directoryId: string, type: TagResourceType, ids: string[], limit: number): Promise<string[]>;
  /**
   * A page of tags by resource ID, then key, after `after`: only the given resources (null:
   * every resource of the type) and, with `filter`, only tags matching one of its conditions.
   */
  page(
    directoryId: string,
    type: TagResourceType,
    ids: string[] | null,
    filter: TagFilter[] | null,
    after: { resourceId: string; key: string } | null,
    limit: number,
  ): Promise<TagRecord[]>;
  /** Distinct keys of the type starting with `prefix`, in byte order, after `after` (null: from the first). */
  keys(directoryId: string, type: TagResourceType, prefix: string, after: string | null, limit: number): Promise<string[]>;
  /** Distinct values of one key, likewise. */
  values(directoryId: string, type: TagResourceType, key: string, prefix: string, after: string | null, limit: number): Promise<string[]>;
}

/** The kinds of object whose IDs are unique across the whole database, every directory together. */
export type IdKind = 'directory' | 'folder' | 'account' | 'contact' | 'controlPolicy';

/** Whole-database work of state files (import, export, reset), inside the caller's transaction. */
export interface StateRepo {
  /** Deletes every row of state but the tables of `KEPT_BY_WIPE`, as part of the transaction (it commits or rolls back with it). */
  wipe(): Promise<void>;
  /** Which of `ids` an object of this kind holds already, in any directory (by primary key). */
  idsInUse(kind: IdKind, ids: string[]): Promise<string[]>;
  /** Which of `names` an account holds already, in any directory or none. */
  accountNamesInUse(names: string[]): Promise<string[]>;
}

export interface AccountPayerRepo {
  /** The account that pays for `accountId`; null when it settles its own bills. */
  get(accountId: string): Promise<string | null>;
  /** null: the account pays for itself again. */
  set(accountId: string, payerAccountId: string | null): Promise<void>;
  /** How many accounts `payerAccountId` pays for. */
  countPaidBy(payerAccountId: string): Promise<number>;
  /** The payers of several accounts at once; accounts paying for themselves are absent. */
  forAccounts(accountIds: string[]): Promise<Map<string, string>>;
}

export interface AccountDeletionRepo {
  byAccount(accountId: string): Promise<AccountDeletionRecord | null>;
  put(record: AccountDeletionRecord): Promise<void>;
}

/** STS role sessions (src/services/sts.ts), found by their temporary AccessKeyId. */
export interface StsSessionRepo {
  insert(s: StsSessionRecord): Promise<void>;
  /** How many sessions assumed by `trustorAccountId` are live at `now`, counted up to `cap`. */
  liveCount(trustorAccountId: string, now: number, cap: number): Promise<number>;
  /** The session of a temporary AccessKeyId, with whether its role's trust still holds (one statement). */
  byAccessKeyId(accessKeyId: string): Promise<StsSessionLookup | null>;
}

/** Sessions of the console's login (src/console/sessions.ts), found by the hash of their secret. */
export interface ConsoleSessionRepo {
  insert(s: ConsoleSessionRecord): Promise<void>;
  byHash(secretHash: string): Promise<ConsoleSessionRecord | null>;
  /** Records a use of the session at `at`. */
  touch(secretHash: string, at: number): Promise<void>;
  /** Ends the session (logout); false when there was none. */
  delete(secretHash: string): Promise<boolean>;
  /** Deletes every session but the `keep` used last; the number deleted. */
  keepLatest(keep: number): Promise<number>;
}

/**
 * Deletes rows nobody needs any more, at most `limit` per call (one short transaction each);
 * every method answers how many rows went.
 */
export interface RetentionRepo {
  /** Outbox messages no longer pending (sent, failed for good, or only recorded) created before `before`. */
  pruneOutbox(before: number, limit: number): Promise<number>;
  /** Verification links used, or expired, before `before`. */
  pruneTokens(before: number, limit: number): Promise<number>;
  /** Jobs that failed for good, last attempted before `before` (finished jobs are deleted when they finish). */
  pruneFailedJobs(before: number, limit: number): Promise<number>;
  /** Deletion records whose contact no longer exists. */
  pruneOrphanDeletions(limit: number): Promise<number>;
  /** Deletion records of member accounts deleted before `before` (a check without a deletion stays with its account). */
  pruneAccountDeletions(before: number, limit: number): Promise<number>;
  /** Send-rate counters of sends at or before `before`. */
  pruneSends(before: number, limit: number): Promise<number>;
  /** Console sessions last used before `idleBefore` or opened before `openedBefore`: expired either way. */
  pruneConsoleSessions(idleBefore: number, openedBefore: number, limit: number): Promise<number>;
  /** STS sessions that expired before `before`. */
  pruneStsSessions(before: number, limit: number): Promise<number>;
  /** Invitations that stopped mattering (expired, declined, cancelled, or their member left) before `before`. */
  pruneHandshakes(before: number, limit: number): Promise<number>;
  /** Audit records made before `before`. */
  pruneAudit(before: number, limit: number): Promise<number>;
  /** The target index rows of audit records made before `before`. */
  pruneAuditTargets(before: number, limit: number): Promise<number>;
}

/** A directory's custom control policies and the attachments of every policy (src/storage/repos/control-policies.ts). */
export interface ControlPolicyRepo {
  insert(p: ControlPolicyRecord): Promise<void>;
  /** Writes the name, description, document and update time. */
  update(p: ControlPolicyRecord): Promise<void>;
  delete(directoryId: string, id: string): Promise<void>;
  byId(directoryId: string, id: string): Promise<ControlPolicyRecord | null>;
  byName(directoryId: string, name: string): Promise<ControlPolicyRecord | null>;
  /** Custom policies carrying every tag of `tags` (null: all), counted. */
  count(directoryId: string, tags: TagFilter[] | null): Promise<number>;
  /** A page of them in creation order. */
  page(directoryId: string, tags: TagFilter[] | null, page: Page): Promise<ControlPolicyRecord[]>;
  /** Those of `ids` that are custom policies of the directory. */
  byIds(directoryId: string, ids: string[]): Promise<ControlPolicyRecord[]>;
  /** Attachments of each of `policyIds`: counts every attachment write keeps, read by key (a policy with none may be absent). */
  attachmentCounts(directoryId: string, policyIds: string[]): Promise<Map<string, number>>;
  attach(a: ControlPolicyAttachmentRecord): Promise<void>;
  detach(directoryId: string, targetId: string, policyId: string): Promise<void>;
  /** A target's attachments, oldest first (at most 11: 10 custom and the system policy). */
  forTarget(directoryId: string, targetId: string): Promise<ControlPolicyAttachmentRecord[]>;
  /** The attachments of several targets at once (an account's chain), oldest first. */
  forTargets(directoryId: string, targetIds: readonly string[]): Promise<ControlPolicyAttachmentRecord[]>;
  /** How many targets a policy is attached to (its kept count), and a page of them, oldest first. */
  countTargets(directoryId: string, policyId: string): Promise<number>;
  targets(directoryId: string, policyId: string, page: Page): Promise<ControlPolicyAttachmentRecord[]>;
  /** Up to `limit` targets of a policy after `after` (null: from the first), oldest first. */
  targetsAfter(directoryId: string, policyId: string, after: { attachTime: number; targetId: string } | null, limit: number): Promise<ControlPolicyAttachmentRecord[]>;
  /**
   * Attaches `policyId` to the Root, every folder and every member of the directory, in one
   * statement whatever their number; attachments already there stay as they were.
   */
  attachEverywhere(directoryId: string, policyId: string, at: number): Promise<void>;
  /** Attaches `policyId` to these targets, in one statement whatever their number. */
  attachMany(directoryId: string, policyId: string, targets: Array<{ id: string; type: ControlPolicyTargetType }>, at: number): Promise<void>;
  /** Those of `targetIds` that carry more than `limit` custom policies. */
  overAttached(directoryId: string, targetIds: string[], limit: number): Promise<string[]>;
  /** Drops every attachment of the directory (null) or of these targets. */
  detachAll(directoryId: string, targetIds: string[] | null): Promise<void>;
}

/** Delegated administrators of trusted services (src/services/delegations.ts), per directory. */
export interface DelegationRepo {
  insert(r: DelegationRecord): Promise<void>;
  byKey(directoryId: string, servicePrincipal: string, accountId: string): Promise<DelegationRecord | null>;
  /** false when there was no such delegation. */
  delete(directoryId: string, servicePrincipal: string, accountId: string): Promise<boolean>;
  /** Delegations of the directory, of one service or (null) of every one. */
  count(directoryId: string, servicePrincipal: string | null): Promise<number>;
  /** A page of them by service principal, then account ID, with each member's display name and join method. */
  page(directoryId: string, servicePrincipal: string | null, offset: number, limit: number): Promise<DelegatedAdministrator[]>;
  /** The services `accountId` administers in the directory, by principal, after `after` (null: from the first). */
  ofAccount(directoryId: string, accountId: string, after: string | null, limit: number): Promise<DelegationRecord[]>;
  /** Every delegation of a member that leaves its directory. */
  deleteOfAccount(accountId: string): Promise<void>;
  /** The services with a delegation, by principal, each enabled since its earliest one. */
  enabledServices(directoryId: string, offset: number, limit: number): Promise<EnabledService[]>;
  enabledServiceCount(directoryId: string): Promise<number>;
  /** Every delegation of the directory (state export), by principal, then account. */
  ofDirectory(directoryId: string): Promise<DelegationRecord[]>;
}

/** Invitations (src/services/handshakes.ts); every read is by ID or from an index of its directory or target. */
export interface HandshakeRepo {
  insert(h: HandshakeRecord): Promise<void>;
  byId(id: string): Promise<HandshakeRecord | null>;
  /** A new status, and when the invitation stopped mattering (null: an accepted member, kept). */
  settle(id: string, status: HandshakeRecord['status'], modifyTime: number, endedAt: number | null): Promise<void>;
  /** The member left the directory: its accepted invitation is kept from `endedAt` only as long as retention says. */
  endAccepted(directoryId: string, accountId: string, endedAt: number): Promise<void>;
  /** Invitations of a directory sent after `since`, accepted ones not counted, counted up to `cap`. */
  sentSince(directoryId: string, since: number, cap: number): Promise<number>;
  /** Invitations of a directory to one account sent after `since`, counted up to `cap`. */
  sentToSince(directoryId: string, accountId: string, since: number, cap: number): Promise<number>;
  /** Pending, unexpired invitations of a directory at `now`, counted up to `cap`. */
  pendingCount(directoryId: string, now: number, cap: number): Promise<number>;
  /** The directory's pending, unexpired invitation to one account, if any. */
  pendingTo(directoryId: string, accountId: string, now: number): Promise<HandshakeRecord | null>;
  /** A directory's invitations, newest first. */
  ofDirectory(directoryId: string, page: Page): Promise<{ total: number; items: HandshakeRecord[] }>;
  /** Invitations addressed to an account or sent by a directory (`directoryId` '' for none), newest first. */
  ofAccount(accountId: string, directoryId: string, page: Page): Promise<{ total: number; items: HandshakeRecord[] }>;
}
