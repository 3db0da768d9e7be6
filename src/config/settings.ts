import { z } from 'zod';
import { idPatterns } from '../domain/ids.js';
import { RAM_USER_NAME } from '../domain/identity.js';
import { SEND_WINDOW_MS } from '../domain/send-limits.js';
import { DEFAULT_TRUSTED_SERVICES_SETTING, parseTrustedServices } from '../domain/trusted-services.js';

/**
 * The one table of rdmc's settings. The config schema, the `RDMC_*` variables, the flags,
 * `rdmc serve --help` and the README's Configuration table are all read from it (a test
 * compares the README with `settingsMarkdown()`), so a setting is added in one place.
 */

export const DEFAULT_ACCESS_KEY = {
  accessKeyId: 'rdmc-default-key',
  accessKeySecret: 'rdmc-default-secret',
  accountId: '1000000000000001',
} as const;

/**
 * The development account's RAM user key, served beside its root key when no keys are
 * configured: STS AssumeRole refuses root keys, so this is the key a Terraform `assume_role`
 * block signs with (README, "Terraform").
 */
export const DEFAULT_RAM_USER_KEY = {
  accessKeyId: 'rdmc-default-user-key',
  accessKeySecret: 'rdmc-default-user-secret',
  accountId: DEFAULT_ACCESS_KEY.accountId,
  userName: 'admin',
} as const;

const PUBLISHED_KEYS = [DEFAULT_ACCESS_KEY, DEFAULT_RAM_USER_KEY] as const;

/** The published development keys among `keys`, named explicitly or by default. */
export const developmentKeysIn = (keys: ReadonlyArray<{ accessKeyId: string; accessKeySecret: string }>) =>
  PUBLISHED_KEYS.filter((p) => keys.some((k) => k.accessKeyId === p.accessKeyId && k.accessKeySecret === p.accessKeySecret));

const accessKey = z.object({
  // `STS.` names the temporary keys AssumeRole hands out (src/protocol/authenticate.ts).
  accessKeyId: z.string().min(1).refine((id) => !id.startsWith('STS.'), 'an AccessKeyId starting with "STS." is reserved for STS sessions'),
  accessKeySecret: z.string().min(1),
  accountId: z.string().regex(/^\d{16}$/, 'the AccountId must be 16 digits'),
  /** Set: the key of this RAM user of the account; unset: the account's own (root) key. */
  userName: z.string().regex(RAM_USER_NAME, 'a RAM user name is 1 to 64 letters, digits, ".", "_" or "-"').optional(),
});
export type AccessKey = z.infer<typeof accessKey>;

/** The one database path whose folder rdmc makes when missing; any other path's folder must exist. */
export const DEFAULT_DB = './data/rdmc.sqlite';

export const ASYNC_MODES = ['immediate', 'manual', 'delay'] as const;
export type AsyncMode = (typeof ASYNC_MODES)[number];

/** The commands that run a node, and so read settings. */
export type NodeCommand = 'serve' | 'worker';

/** How a flag's or variable's text becomes a value: the loader checks its form before the schema its range. */
export type SettingKind = 'string' | 'integer' | 'boolean' | 'accessKeys';

export interface Setting<S extends z.ZodTypeAny = z.ZodTypeAny> {
  kind: SettingKind;
  /** The command-line flag without its dashes; a boolean flag sets `flagValue`. */
  flag?: string;
  flagValue?: boolean;
  variable?: string;
  /** The default as a reader sees it (the schema holds the value itself). */
  shownDefault: string;
  /** One sentence or two, Markdown; `--help` prints it without the backticks. */
  help: string;
  schema: S;
  /** The one command that uses it (the API's own settings: `serve`); unset, both do. */
  only?: NodeCommand;
}

const setting = <S extends z.ZodTypeAny>(s: Setting<S>) => s;
/** A URL rdmc itself fetches or hands out (links, webhooks): http:// or https:// only. */
export const httpUrl = () =>
  z.string().url().refine((text) => /^https?:$/.test(new URL(text).protocol), 'must be an http:// or https:// URL');
const DAY_MS = 24 * 3_600_000;
const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const SETTINGS = {
  host: setting({
    kind: 'string', flag: 'host', variable: 'RDMC_HOST', shownDefault: '`127.0.0.1`',
    help: 'Address to listen on.',
    schema: z.string().min(1).default('127.0.0.1'),
  }),
  port: setting({
    kind: 'integer', flag: 'port', variable: 'RDMC_PORT', shownDefault: '`8080`',
    help: 'Port; `0` picks a free one.',
    schema: int(0, 65535, 8080),
  }),
  http: setting({
    kind: 'boolean', flag: 'no-http', flagValue: false, variable: 'RDMC_HTTP', shownDefault: 'on',
    help: 'Serve plain HTTP on `--port`. Off: HTTPS alone (needs `--tls-port`).',
    schema: z.boolean().default(true),
  }),
  tlsPort: setting({
    kind: 'integer', flag: 'tls-port', variable: 'RDMC_TLS_PORT', shownDefault: 'unset (no HTTPS)',
    help: 'Serve HTTPS on this port too (`0` picks a free one), with `--tls-cert` and `--tls-key`, or else with a certificate of the local certificate authority (docs/operations.md, TLS).',
    schema: z.coerce.number().int().min(0).max(65535).optional(),
  }),
  tlsCert: setting({
    kind: 'string', flag: 'tls-cert', variable: 'RDMC_TLS_CERT', shownDefault: 'unset',
    help: 'PEM file of the HTTPS certificate (the server\'s first, then any intermediates); with `--tls-key`.',
    schema: z.string().min(1).optional(),
  }),
  tlsKey: setting({
    kind: 'string', flag: 'tls-key', variable: 'RDMC_TLS_KEY', shownDefault: 'unset',
    help: 'PEM file of the HTTPS certificate\'s private key; with `--tls-cert`.',
    schema: z.string().min(1).optional(),
  }),
  tlsCaDir: setting({
    kind: 'string', flag: 'tls-ca-dir', variable: 'RDMC_TLS_CA_DIR', shownDefault: '`./data/tls`',
    help: 'Folder of the local certificate authority, made on first use and kept: `ca.pem` (to trust) and `ca-key.pem` (0600). Nodes that share it issue certificates of one authority.',
    schema: z.string().min(1).default('./data/tls'),
  }),
  tlsNames: setting({
    kind: 'string', flag: 'tls-names', variable: 'RDMC_TLS_NAMES', shownDefault: 'unset',
    help: 'More host names or addresses, comma-separated, for the local authority\'s certificate, beside localhost, 127.0.0.1, ::1, this machine\'s name, the listen address and the host of `RDMC_PUBLIC_URL`.',
    schema: z.string().min(1).optional(),
  }),
  db: setting({
    kind: 'string', flag: 'db', variable: 'RDMC_DB', shownDefault: '`./data/rdmc.sqlite`',
    help: 'SQLite file path (its folder must exist, except the default `./data`), `:memory:`, or a `postgres://` URL.',
    schema: z.string().min(1).default(DEFAULT_DB),
  }),
  pgPoolSize: setting({
    kind: 'integer', flag: 'pg-pool-size', variable: 'RDMC_PG_POOL_SIZE', shownDefault: '`10`',
    help: 'PostgreSQL connections per node.',
    schema: int(1, 1_000, 10),
  }),
  pgConnectTimeoutMs: setting({
    kind: 'integer', variable: 'RDMC_PG_CONNECT_TIMEOUT_MS', shownDefault: '`5000`',
    help: 'How long a request waits for a PostgreSQL connection (a free one of the pool, or a new one) before it answers 503 ServiceUnavailable.',
    schema: int(100, 600_000, 5_000),
  }),
  dbStartTimeoutMs: setting({
    kind: 'integer', variable: 'RDMC_DB_START_TIMEOUT_MS', shownDefault: '`120000` (2 minutes)',
    help: 'A node started while PostgreSQL is down or starting listens at once (not ready, 503) and keeps trying to open the database, with backoff, for this long; then it exits with a message. `0`: try once.',
    schema: int(0, DAY_MS, 120_000),
  }),
  accessKeys: setting({
    kind: 'accessKeys', variable: 'RDMC_ACCESS_KEYS', shownDefault: 'the development key',
    help: '`AccessKeyId:AccessKeySecret:AccountId[:RamUserName][,…]`; each caller acts as its key\'s 16-digit account, as the account itself (root) or, with a fourth field, as that RAM user of it (docs/reference/identity.md). Default: the development account\'s root key and its RAM user `admin`\'s key.',
    schema: z
      .array(accessKey)
      .min(1)
      .refine((keys) => new Set(keys.map((k) => k.accessKeyId)).size === keys.length, { message: 'an AccessKeyId appears twice' })
      .default([{ ...DEFAULT_ACCESS_KEY }, { ...DEFAULT_RAM_USER_KEY }]),
  }),
  allowDevKey: setting({
    kind: 'boolean', flag: 'allow-dev-key', flagValue: true, variable: 'RDMC_ALLOW_DEV_KEY', shownDefault: 'off', only: 'serve',
    help: 'Serve the well-known development key on a non-loopback `--host` (0.0.0.0, say) all the same; without it, such a start is refused, as anyone who can reach the port could sign with it.',
    schema: z.boolean().default(false),
  }),
  bootstrap: setting({
    kind: 'boolean', flag: 'no-bootstrap', flagValue: false, shownDefault: 'bootstrap on', only: 'serve',
    help: 'Without it, the first key\'s account owns an enabled resource directory from the start; the others start without one (`EnableResourceDirectory`).',
    schema: z.boolean().default(true),
  }),
  bootstrapDirectoryId: setting({
    kind: 'string', flag: 'bootstrap-directory-id', variable: 'RDMC_BOOTSTRAP_DIRECTORY_ID', shownDefault: 'a new one', only: 'serve',
    help: 'The ID the bootstrap directory gets (`rd-` and 6 letters or digits), at the first start and at every reset, so a test that keeps it keeps working.',
    schema: z.string().regex(idPatterns.directory, 'must be rd- and 6 letters or digits').optional(),
  }),
  bootstrapRootFolderId: setting({
    kind: 'string', flag: 'bootstrap-root-folder-id', variable: 'RDMC_BOOTSTRAP_ROOT_FOLDER_ID', shownDefault: 'a new one', only: 'serve',
    help: 'The ID the bootstrap directory\'s Root folder gets (`r-` and 6 letters or digits), at the first start and at every reset.',
    schema: z.string().regex(idPatterns.rootFolder, 'must be r- and 6 letters or digits').optional(),
  }),
  asyncMode: setting({
    kind: 'string', flag: 'async-mode', variable: 'RDMC_ASYNC_MODE', shownDefault: '`delay`',
    help: 'Background jobs: `immediate` (done before the API call answers), `manual` (held until released), `delay`.',
    schema: z.enum(ASYNC_MODES).default('delay'),
  }),
  asyncDelayMs: setting({
    kind: 'integer', flag: 'async-delay-ms', variable: 'RDMC_ASYNC_DELAY_MS', shownDefault: '`500`',
    help: 'The delay of `delay` mode.',
    schema: int(0, 3_600_000, 500),
  }),
  worker: setting({
    kind: 'boolean', flag: 'no-worker', flagValue: false, variable: 'RDMC_WORKER', shownDefault: 'on', only: 'serve',
    help: 'Run the job worker in this process.',
    schema: z.boolean().default(true),
  }),
  stsMaxSessionSeconds: setting({
    kind: 'integer', variable: 'RDMC_STS_MAX_SESSION_SECONDS', shownDefault: '`3600` (1 hour)',
    help: 'The longest STS session `AssumeRole` grants (the role\'s MaxSessionDuration, at most 43200): a longer `DurationSeconds` is refused with `InvalidParameter.DurationSeconds`, as Alibaba refuses one above the role\'s maximum.',
    schema: int(900, 43_200, 3600),
  }),
  stsAllowRoot: setting({
    kind: 'boolean', variable: 'RDMC_STS_ALLOW_ROOT', shownDefault: 'off',
    help: 'Let an account\'s own (root) key call `AssumeRole`. Off, as in Alibaba Cloud: root keys get 403 `NoPermission` "Roles may not be assumed by root accounts.", and a RAM user\'s key (the fourth field of `RDMC_ACCESS_KEYS`) assumes roles.',
    schema: z.boolean().default(false),
  }),
  stsMaxLiveSessions: setting({
    kind: 'integer', variable: 'RDMC_STS_MAX_LIVE_SESSIONS', shownDefault: '`1000`',
    help: 'Live STS sessions one management account may hold at once; `AssumeRole` past it gets 409 `LimitExceeded.StsSession` until some expire.',
    schema: int(1, 1_000_000, 1000),
  }),
  contactQuota: setting({
    kind: 'integer', flag: 'contact-quota', variable: 'RDMC_CONTACT_QUOTA', shownDefault: '`20`', only: 'serve',
    help: 'Contacts per directory.',
    schema: int(1, 10_000, 20),
  }),
  folderQuota: setting({
    kind: 'integer', flag: 'folder-quota', variable: 'RDMC_FOLDER_QUOTA', shownDefault: '`1000`', only: 'serve',
    help: 'Folders per directory, the Root not counted (Alibaba Cloud: 100, raised on request); every change to bindings reads all of a directory\'s folders, so this bounds its cost.',
    schema: int(1, 100_000, 1_000),
  }),
  accountQuota: setting({
    kind: 'integer', flag: 'account-quota', variable: 'RDMC_ACCOUNT_QUOTA', shownDefault: '`100000`', only: 'serve',
    help: 'Member accounts per directory, the management account not counted; a directory\'s size bounds what its lists, fan-outs and exports cost every tenant.',
    schema: int(1, 1_000_000, 100_000),
  }),
  invitationsPerDay: setting({
    kind: 'integer', variable: 'RDMC_INVITATIONS_PER_DAY', shownDefault: '`20`', only: 'serve',
    help: 'Invitations (`InviteAccountToResourceDirectory`) one directory may send in any 24 hours, accepted ones not counted, as Alibaba\'s limits page says; past it, 409 `LimitExceeded.InvitationRate`.',
    schema: int(1, 10_000, 20),
  }),
  invitationsPending: setting({
    kind: 'integer', variable: 'RDMC_INVITATIONS_PENDING', shownDefault: '`20`', only: 'serve',
    help: 'Pending invitations one directory may have at once; past it, 409 `LimitExceeded.InvitationRate`. With the daily limit and retention it bounds the invitations a directory keeps.',
    schema: int(1, 10_000, 20),
  }),
  invitationsPerTargetPerDay: setting({
    kind: 'integer', variable: 'RDMC_INVITATIONS_PER_TARGET_PER_DAY', shownDefault: '`5`', only: 'serve',
    help: 'Invitations one directory may send to the same account in any 24 hours (each cancelled or declined before the next); past it, 409 `LimitExceeded.SameTargetInvitationRate`, which Terraform retries.',
    schema: int(1, 1_000, 5),
  }),
  throttleRate: setting({
    kind: 'integer', flag: 'throttle-rate', variable: 'RDMC_THROTTLE_RATE', shownDefault: '`10000`', only: 'serve',
    help: 'Signed requests a second each caller account may make on each node, on average; past it, 400 `Throttling.User`. Also bounds how fast a caller grows the nonce table.',
    schema: int(1, 1_000_000, 10_000),
  }),
  throttleBurst: setting({
    kind: 'integer', flag: 'throttle-burst', variable: 'RDMC_THROTTLE_BURST', shownDefault: '`20000`', only: 'serve',
    help: 'Signed requests a caller account may make at once after being idle, on each node.',
    schema: int(1, 1_000_000, 20_000),
  }),
  loose: setting({
    kind: 'boolean', flag: 'loose', flagValue: true, variable: 'RDMC_LOOSE', shownDefault: 'off', only: 'serve',
    help: 'Ignore parameters an action does not declare instead of refusing them.',
    schema: z.boolean().default(false),
  }),
  logLevel: setting({
    kind: 'string', flag: 'log-level', variable: 'RDMC_LOG_LEVEL', shownDefault: '`info`',
    help: 'pino level (`silent` … `trace`); JSON lines on stdout with request IDs.',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }),
  adminToken: setting({
    kind: 'string', variable: 'RDMC_ADMIN_TOKEN', shownDefault: 'unset',
    help: 'Bearer token for `/_rdmc/`; the console asks for it once, on its login form, and keeps a session. Without one, only loopback peers addressing this server by name may use them, and the console needs no login.',
    schema: z.string().min(1).optional(),
  }),
  consoleIdleTimeoutMs: setting({
    kind: 'integer', variable: 'RDMC_CONSOLE_IDLE_TIMEOUT_MS', shownDefault: '`1800000` (30 minutes)',
    help: 'A console session not used for this long ends (measured to a tenth of it, a minute at most); the next page asks for the token again.',
    schema: int(60_000, DAY_MS, 1_800_000),
  }),
  consoleSessionLifetimeMs: setting({
    kind: 'integer', variable: 'RDMC_CONSOLE_SESSION_LIFETIME_MS', shownDefault: '`43200000` (12 hours)',
    help: 'A console session ends this long after its login, however busy.',
    schema: int(60_000, 30 * DAY_MS, 43_200_000),
  }),
  publicUrl: setting({
    kind: 'string', variable: 'RDMC_PUBLIC_URL', shownDefault: 'the listening address',
    help: 'Base of verification links (`http://` or `https://`); its host and origin also count as this server\'s for the admin API and the console.',
    schema: httpUrl().optional(),
  }),
  smtpUrl: setting({
    kind: 'string', variable: 'RDMC_SMTP_URL', shownDefault: 'unset',
    help: 'E-mail channel, e.g. `smtp://user:pass@mail.example.com:587`. Unset: e-mail stays in the outbox.',
    schema: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  }),
  smtpFrom: setting({
    kind: 'string', variable: 'RDMC_SMTP_FROM', shownDefault: '`rdmc <no-reply@rdmc.invalid>`',
    help: 'Sender of e-mail.',
    schema: z.string().min(3).default('rdmc <no-reply@rdmc.invalid>'),
  }),
  smsWebhookUrl: setting({
    kind: 'string', variable: 'RDMC_SMS_WEBHOOK_URL', shownDefault: 'unset',
    help: 'SMS channel: signed JSON POST to your SMS gateway (`http://` or `https://`). Unset: SMS stays in the outbox.',
    schema: httpUrl().optional(),
  }),
  smsWebhookSecret: setting({
    kind: 'string', variable: 'RDMC_SMS_WEBHOOK_SECRET', shownDefault: 'unset',
    help: 'Key of the SMS webhook\'s signature (8 characters or more); required with `RDMC_SMS_WEBHOOK_URL`.',
    schema: z.string().min(8).optional(),
  }),
  verificationTtlMs: setting({
    kind: 'integer', variable: 'RDMC_VERIFICATION_TTL_MS', shownDefault: '`86400000`',
    help: 'Lifetime of a verification link.',
    schema: int(1_000, 30 * 24 * 3_600_000, 24 * 3_600_000),
  }),
  jobBatchSize: setting({
    kind: 'integer', variable: 'RDMC_JOB_BATCH_SIZE', shownDefault: '`500`',
    help: 'Accounts per transaction in a fan-out.',
    schema: int(1, 10_000, 500),
  }),
  jobMaxAttempts: setting({
    kind: 'integer', flag: 'job-max-attempts', variable: 'RDMC_JOB_MAX_ATTEMPTS', shownDefault: '`10`',
    help: 'Attempts a job (an e-mail or SMS delivery, a fan-out batch) gets before it fails for good; a failed job waits for an operator\'s retry (`rdmc jobs retry`, docs/operations.md, Redrive).',
    schema: int(1, 1_000, 10),
  }),
  jobRetryBaseMs: setting({
    kind: 'integer', flag: 'job-retry-base-ms', variable: 'RDMC_JOB_RETRY_BASE_MS', shownDefault: '`1000`',
    help: 'Wait before a failed job\'s second attempt; each later wait is twice the one before, up to `RDMC_JOB_RETRY_MAX_MS`.',
    schema: int(1, 3_600_000, 1_000),
  }),
  jobRetryMaxMs: setting({
    kind: 'integer', flag: 'job-retry-max-ms', variable: 'RDMC_JOB_RETRY_MAX_MS', shownDefault: '`300000` (5 minutes)',
    help: 'The longest wait between two attempts of a job; at least `RDMC_JOB_RETRY_BASE_MS`.',
    schema: int(1, DAY_MS, 300_000),
  }),
  jobStaleLockMs: setting({
    kind: 'integer', variable: 'RDMC_JOB_STALE_LOCK_MS', shownDefault: '`10000`',
    help: 'A worker renews the lock of the job it runs every third of this; a lock not renewed for this long belongs to a dead worker, and another worker takes the job over within this and a second.',
    schema: int(100, 3_600_000, 10_000),
  }),
  maxClockSkewMs: setting({
    kind: 'integer', variable: 'RDMC_MAX_CLOCK_SKEW_MS', shownDefault: '`30000`',
    help: 'On PostgreSQL, a node whose clock differs from the database\'s by more than this logs a warning (at start, then every minute), and its readiness probe says `clock-skew`; rdmc corrects for the difference either way (docs/operations.md, Clocks).',
    schema: int(1_000, DAY_MS, 30_000),
  }),
  metricsCacheMs: setting({
    kind: 'integer', variable: 'RDMC_METRICS_CACHE_MS', shownDefault: '`5000`',
    help: 'How long a node keeps its reading of the `rdmc_cluster_*` gauges of `GET /_rdmc/metrics` (the job queue and the outbox, read from the database); scrapes meanwhile share it, so no rate of scrapes loads the database more.',
    schema: int(100, 3_600_000, 5_000),
  }),
  clockOffsetMs: setting({
    kind: 'integer', variable: 'RDMC_CLOCK_OFFSET_MS', shownDefault: '`0`',
    help: 'Moves this node\'s reading of the wall clock by this much: for tests of clock faults only.',
    schema: int(-DAY_MS, DAY_MS, 0),
  }),
  timeTravel: setting({
    kind: 'boolean', flag: 'time-travel', flagValue: true, variable: 'RDMC_TIME_TRAVEL', shownDefault: 'off', only: 'serve',
    help: 'Whether `POST /_rdmc/time/advance` may move this node\'s clock forward (expiry, retries, retention): for tests only, since it lets an admin caller expire every link and session and prune the audit trail. The clock is per node: on a cluster, advance every node alike (docs/operations.md, Time).',
    schema: z.boolean().optional(),
  }),
  retentionOutboxMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_OUTBOX_MS', shownDefault: '`2592000000` (30 days)',
    help: 'Outbox messages no longer pending (sent, failed for good, or recorded without a channel) are deleted this long after they were created.',
    schema: int(60_000, 3650 * DAY_MS, 30 * DAY_MS),
  }),
  retentionTokensMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_TOKENS_MS', shownDefault: '`604800000` (7 days)',
    help: 'Verification links are deleted this long after they were used or expired.',
    schema: int(60_000, 3650 * DAY_MS, 7 * DAY_MS),
  }),
  retentionFailedJobsMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_FAILED_JOBS_MS', shownDefault: '`2592000000` (30 days)',
    help: 'Jobs that failed for good are deleted this long after their last attempt.',
    schema: int(60_000, 3650 * DAY_MS, 30 * DAY_MS),
  }),
  retentionAuditMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_AUDIT_MS', shownDefault: '`7776000000` (90 days)',
    help: 'Audit records (every write, who made it and how it ended: docs/operations.md, Audit trail) are deleted this long after the write.',
    schema: int(60_000, 3650 * DAY_MS, 90 * DAY_MS),
  }),
  retentionStsSessionsMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_STS_SESSIONS_MS', shownDefault: '`86400000` (1 day)',
    help: 'An STS session is deleted this long after it expired; until then a request signed with it is refused as `InvalidSecurityToken.Expired`, after it as `InvalidAccessKeyId.NotFound`.',
    schema: int(0, 3650 * DAY_MS, DAY_MS),
  }),
  retentionHandshakesMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_HANDSHAKES_MS', shownDefault: '`2592000000` (30 days)',
    help: 'An invitation is deleted this long after it stopped mattering (it expired, was declined or cancelled, or the member it made was removed); then `GetHandshake` answers `EntityNotExists.Handshake`.',
    schema: int(0, 3650 * DAY_MS, 30 * DAY_MS),
  }),
  retentionDeletionRecordsMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_DELETION_RECORDS_MS', shownDefault: '`2592000000` (30 days)',
    help: 'A deleted member account\'s deletion record (what `GetAccountDeletionStatus` answers `Success` from) is deleted this long after the deletion.',
    schema: int(60_000, 3650 * DAY_MS, 30 * DAY_MS),
  }),
  retentionSendCountersMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_SEND_COUNTERS_MS', shownDefault: '`86400000` (1 day)',
    help: 'Verification send counters (the rows the 10-a-minute and 100-a-day limits count) are deleted this long after the send; at least a day, the longest window that counts them.',
    schema: int(SEND_WINDOW_MS, 3650 * DAY_MS, SEND_WINDOW_MS),
  }),
  retentionEveryMs: setting({
    kind: 'integer', variable: 'RDMC_RETENTION_EVERY_MS', shownDefault: '`3600000` (1 hour)',
    help: 'How often each worker prunes what retention no longer keeps.',
    schema: int(1_000, DAY_MS, 3_600_000),
  }),
  maxConnections: setting({
    kind: 'integer', variable: 'RDMC_MAX_CONNECTIONS', shownDefault: '`4000`',
    help: 'Open client connections at most; a connection beyond it is closed at once, so held-open sockets cannot take every file descriptor.',
    schema: int(1, 1_000_000, 4_000),
  }),
  requestTimeoutMs: setting({
    kind: 'integer', variable: 'RDMC_REQUEST_TIMEOUT_MS', shownDefault: '`30000`',
    help: 'A request must arrive in full (headers within the first 10 s at most, and the body) within this time; a slower client gets 408 RequestTimeout and its connection is closed.',
    schema: int(1_000, 3_600_000, 30_000),
  }),
  requestDeadlineMs: setting({
    kind: 'integer', variable: 'RDMC_REQUEST_DEADLINE_MS', shownDefault: '`10000`', only: 'serve',
    help: 'How long one API request\'s database work may take from its arrival; past it, or once its client has gone, the work stops (its PostgreSQL statement is cancelled) and it answers 503 `ServiceUnavailable`.',
    schema: int(100, 3_600_000, 10_000),
  }),
  tenantListConcurrency: setting({
    kind: 'integer', variable: 'RDMC_TENANT_LIST_CONCURRENCY', shownDefault: '`2`', only: 'serve',
    help: 'List requests (ListAccounts, ListAccountsForParent, ListFoldersForParent, ListTagResources) of one caller account that run at once; more wait their turn, so one tenant\'s lists cannot take every database connection or turn.',
    schema: int(1, 1_000, 2),
  }),
  downloadStallMs: setting({
    kind: 'integer', variable: 'RDMC_DOWNLOAD_STALL_MS', shownDefault: '`60000`', only: 'serve',
    help: 'A download of the admin API (`GET /_rdmc/backup`, `GET /_rdmc/state`) whose reader takes no byte for this long is cut off, and what it held (a temporary copy of the database) is freed.',
    schema: int(1_000, 3_600_000, 60_000),
  }),
  shutdownGraceMs: setting({
    kind: 'integer', variable: 'RDMC_SHUTDOWN_GRACE_MS', shownDefault: '`10000`',
    help: 'On SIGTERM or SIGINT, how long requests in flight may take to finish before their connections are cut.',
    schema: int(0, 600_000, 10_000),
  }),
  trustedServices: setting({
    kind: 'string', variable: 'RDMC_TRUSTED_SERVICES', shownDefault: 'the 17 services of the Landing Zone Accelerator, 5 each',
    help: 'The service principals `RegisterDelegatedAdministrator` accepts, separated by commas, each with `=N` for its maximum of delegated administrators (1 to 100, default 5): `config.aliyuncs.com,ros.aliyuncs.com=5`. Any other gets 409 `InvalidParameter.ServicePrincipal` (docs/compatibility.md, "Delegated administrators").',
    schema: z.string().default(DEFAULT_TRUSTED_SERVICES_SETTING).superRefine((text, ctx) => {
      try {
        parseTrustedServices(text);
      } catch (err) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      }
    }),
  }),
};

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** How a problem with one setting is named: its field, flag and variable, as a user may have set it. */
export function settingLabel(name: SettingName): string {
  const s: Setting = SETTINGS[name];
  const sources = [s.flag && `--${s.flag}`, s.variable].filter(Boolean);
  return sources.length ? `${name} (${sources.join(', ')})` : name;
}

const plain = (markdown: string) => markdown.replace(/`/g, '');

/** The settings one command reads. */
export const settingsOf = (command: NodeCommand) => SETTING_NAMES.filter((name) => [undefined, command].includes((SETTINGS[name] as Setting).only));

/** The `Settings:` part of `rdmc serve --help` (or `rdmc worker --help`): the command's own. */
export function settingsHelp(command: NodeCommand): string {
  const rows = settingsOf(command).map((name): [string, string] => {
    const s: Setting = SETTINGS[name];
    const left = [s.flag && `--${s.flag}${s.kind === 'boolean' ? '' : ' VALUE'}`, s.variable].filter(Boolean).join(', ');
    return [left, `${plain(s.help)} Default: ${plain(s.shownDefault)}.`];
  });
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}

/** The README's Configuration table, row for row. */
export function settingsMarkdown(): string {
  const code = (text: string | undefined) => (text ? `\`${text}\`` : '');
  const rows = SETTING_NAMES.map((name) => {
    const s: Setting = SETTINGS[name];
    const cells = [code(s.flag && `--${s.flag}`), code(s.variable), s.shownDefault, s.only ? `${s.help} (\`rdmc ${s.only}\` only.)` : s.help];
    return `|${cells.map((c) => (c ? ` ${c} ` : ' ')).join('|')}|`;
  });
  return ['| Flag | Variable | Default | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
