import { z } from 'zod';

/** The one description of rdmc's settings: flags and RDMC_* variables both map onto it. */

export const DEFAULT_ACCESS_KEY = {
  accessKeyId: 'rdmc-default-key',
  accessKeySecret: 'rdmc-default-secret',
  accountId: '1000000000000001',
} as const;

const accessKey = z.object({
  accessKeyId: z.string().min(1),
  accessKeySecret: z.string().min(1),
  accountId: z.string().regex(/^\d{16}$/, 'the account ID must be 16 digits'),
});
export type AccessKey = z.infer<typeof accessKey>;

export const ASYNC_MODES = ['immediate', 'manual', 'delay'] as const;
export type AsyncMode = (typeof ASYNC_MODES)[number];

export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** A SQLite file path, `:memory:`, or `postgres://user@host:5432/database` for several nodes. */
    db: z.string().min(1).default('./data/rdmc.sqlite'),
    /** PostgreSQL connections per process: API requests and the worker's batches share them. */
    pgPoolSize: z.coerce.number().int().min(1).max(1_000).default(10),
    accessKeys: z
      .array(accessKey)
      .min(1)
      .refine((keys) => new Set(keys.map((k) => k.accessKeyId)).size === keys.length, {
        message: 'an AccessKeyId appears twice',
      })
      .default([{ ...DEFAULT_ACCESS_KEY }]),
    /** The first key's account owns an enabled resource directory from the start. */
    bootstrap: z.boolean().default(true),
    /** Background jobs: done before the API answers, held until released, or after a delay. */
    asyncMode: z.enum(ASYNC_MODES).default('delay'),
    asyncDelayMs: z.coerce.number().int().min(0).max(3_600_000).default(500),
    /** Accounts per transaction in a fan-out: small enough never to hold the database for long. */
    jobBatchSize: z.coerce.number().int().min(1).max(10_000).default(500),
    /** The first retry of a failed job waits this long, doubling with each further failure. */
    jobRetryBaseMs: z.coerce.number().int().min(1).max(300_000).default(1_000),
    /** A job lock older than this is taken to belong to a dead worker. */
    jobStaleLockMs: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** Run the job worker in this process (`rdmc serve --no-worker` leaves it to others). */
    worker: z.boolean().default(true),
    /** Ignore parameters an action does not define instead of refusing them. */
    loose: z.boolean().default(false),
    contactQuota: z.coerce.number().int().min(1).max(10_000).default(20),
    adminToken: z.string().min(1).optional(),
    /** The base of verification links; defaults to the address rdmc listens on. */
    publicUrl: z.string().url().optional(),
    /** E-mail channel, e.g. smtp://user:pass@mail.example.com:587; without it e-mail stays in the outbox. */
    smtpUrl: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
    smtpFrom: z.string().min(3).default('rdmc <no-reply@rdmc.invalid>'),
    /** SMS channel: a JSON POST to this URL, signed with smsWebhookSecret; without it SMS stays in the outbox. */
    smsWebhookUrl: z.string().url().optional(),
    smsWebhookSecret: z.string().min(8).optional(),
    verificationTtlMs: z.coerce.number().int().min(1_000).max(30 * 24 * 3_600_000).default(24 * 3_600_000),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .strict()
  .refine((c) => c.smsWebhookUrl === undefined || c.smsWebhookSecret !== undefined, {
    message: 'RDMC_SMS_WEBHOOK_SECRET is required with RDMC_SMS_WEBHOOK_URL',
    path: ['smsWebhookSecret'],
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
