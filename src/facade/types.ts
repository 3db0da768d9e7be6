import type { AsyncMode } from '../config/settings.js';
import type { ClientOptions, ParamValue } from '../client/rpc.js';
import type { StateFile, StateFileInput } from '../services/state-file.js';

/**
 * The package's public face for embedding (README, "rdmc inside a test suite"): what
 * `startServer` and `startWorker` resolve to. Answers have the admin API's JSON shapes
 * (PascalCase, as docs/reference/model.md section 7 and the README list them); nothing here
 * names the store, the services or any other part inside, so they can change freely.
 */

/** A running node: its addresses, and how to stop it. */
export interface RunningNode extends AsyncDisposable {
  /** HTTP's URL (`http://127.0.0.1:<port>`), or HTTPS's when the node serves HTTPS alone. */
  url: string;
  port: number;
  /** Where HTTPS is served, when it is (`tlsPort`). */
  https: { url: string; port: number } | null;
  /** Requests being served now (what `close` lets finish). */
  requestsInFlight(): number;
  /** Lets requests in flight finish (within `shutdownGraceMs`), stops the jobs and closes the database. */
  close(): Promise<void>;
  /** `close()`, for `await using rdmc = await startServer(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** The first configured access key: whom `client` signs as. */
export interface ServerCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** The 16-digit account the key acts as; it owns the bootstrap directory. */
  accountId: string;
}

/** A signing client bound to the server and its first key (the package's `callAction`). */
export interface RdmcClient {
  /** What `callAction` takes, and what any Alibaba Cloud SDK needs: endpoint and key. */
  readonly options: ClientOptions;
  /** Calls one action; rejects with an `RpcError` carrying the server's `Code`. */
  call(action: string, params?: Record<string, ParamValue>, options?: Pick<ClientOptions, 'signature' | 'version'>): Promise<Record<string, any>>;
}

/** One delivery in the outbox, as `GET /_rdmc/outbox` lists it. */
export interface OutboxMessage {
  DeliveryId: string;
  MessageId: string;
  Channel: 'email' | 'sms';
  To: string;
  Subject: string;
  Body: string;
  /** A verification link; "" for a routed message. */
  Link: string;
  ContactId: string;
  AccountId: string;
  CreatedAt: string;
  Delivery: 'pending' | 'sent' | 'failed' | 'recorded';
  Attempts: number;
  LastError: string;
}

export interface OutboxFilter {
  /** One address, in any case of its letters. */
  to?: string;
  /** Every copy of one routed message. */
  messageId?: string;
  /** 100 unless given, at most 1000. */
  limit?: number;
}

/** What `waitForMessage` waits for: the newest message to `to` that matches every field given. */
export interface MessageMatch {
  to: string;
  /** The exact subject, or a pattern it matches. */
  subject?: string | RegExp;
  /** `verification`: a verification link (`Link` set); `message`: a message routed to an account. */
  kind?: 'verification' | 'message';
  channel?: 'email' | 'sms';
  /** How long to wait, in real milliseconds: 5000 unless given. */
  timeoutMs?: number;
}

/** A background job, as `GET /_rdmc/jobs` lists it. */
export interface JobView {
  JobId: number;
  Kind: string;
  ContactId: string | null;
  DeliveryId: string | null;
  State: string;
  Held: boolean;
  Attempts: number;
  PriorAttempts: number;
  Redrives: number;
  RunAt: string;
  FailedAt: string | null;
  LockedBy: string | null;
  LastError: string | null;
  Payload: unknown;
}

export interface AsyncSettings {
  Mode: AsyncMode;
  DelayMs: number;
}

export interface SeedOptions {
  /** Member accounts to create, 1 to 100,000. */
  accounts: number;
  /** Where they go; the Root when not given. */
  parentFolderId?: string;
  /** Whose directory; the first key's account when not given. */
  accountId?: string;
  /** Their display names are `<prefix>-<n>`; `seed` unless given. */
  displayNamePrefix?: string;
}

export interface Seeded {
  FolderId: string;
  AccountIds: string[];
}

/** What a state file laid down created. */
export interface AppliedState {
  Folders: number;
  Accounts: number;
  Contacts: number;
}

/**
 * The admin API, in process: each method does what its route does (the same checks, the same
 * errors as `ApiError`-like objects with `status`, `code` and `message`), and jobs it queues
 * run as the async mode says, as after an HTTP request.
 */
export interface AdminApi {
  /** `POST /_rdmc/reset`: every row wiped, the bootstrap laid down again (with its pinned IDs). */
  reset(): Promise<void>;
  outbox: {
    /** `GET /_rdmc/outbox`, newest first. */
    list(filter?: OutboxFilter): Promise<OutboxMessage[]>;
    /** `DELETE /_rdmc/outbox`: the named messages (every copy), or all; answers how many went. */
    clear(messageIds?: string[]): Promise<number>;
    /** The newest message that matches, as soon as it is in the outbox; rejects after `timeoutMs`. */
    waitForMessage(match: MessageMatch): Promise<OutboxMessage>;
  };
  /** `GET /_rdmc/jobs`, newest first. */
  jobs(limit?: number): Promise<JobView[]>;
  /** `POST /_rdmc/jobs/run`: releases held jobs (`manual` mode) and runs every due job; answers how many were released. */
  runJobs(): Promise<number>;
  asyncMode: {
    /** `GET /_rdmc/async`. */
    get(): Promise<AsyncSettings>;
    /** `PUT /_rdmc/async`. */
    set(mode: AsyncMode, delayMs?: number): Promise<AsyncSettings>;
  };
  /** `POST /_rdmc/seed`. */
  seed(options: SeedOptions): Promise<Seeded>;
  /** `GET /_rdmc/state`: the directories of the configured keys, as `rdmc export` writes them. */
  exportState(): Promise<StateFile>;
  /**
   * A state file, as an object or the path of a JSON or YAML file (read as `rdmc import`
   * reads it): `replace` (the default) is `PUT /_rdmc/state` (`rdmc import`), `apply` is
   * `POST /_rdmc/state` (`rdmc serve --init`).
   */
  importState(file: StateFileInput | string, options?: { mode?: 'replace' | 'apply' }): Promise<AppliedState>;
  time: {
    /** The server's domain time (`GET /_rdmc/time`). */
    now(): Promise<Date>;
    /** `POST /_rdmc/time/advance`: moves it forward by `ms`; answers the new time. */
    advance(ms: number): Promise<Date>;
  };
}

/** What `startServer` resolves to. */
export interface RunningServer extends RunningNode {
  credentials: ServerCredentials;
  client: RdmcClient;
  admin: AdminApi;
}
