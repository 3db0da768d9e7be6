import { z } from 'zod';
import { SETTINGS } from './settings.js';

export { ASYNC_MODES, DEFAULT_ACCESS_KEY, DEFAULT_RAM_USER_KEY, type AccessKey, type AsyncMode } from './settings.js';

type Schemas = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['schema'] };
const schemas = Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.schema])) as Schemas;

/** The settings table's schemas as one object, plus the rules that span two settings. */
export const configSchema = z
  .object(schemas)
  .strict()
  .refine((c) => c.smsWebhookUrl === undefined || c.smsWebhookSecret !== undefined, {
    message: 'RDMC_SMS_WEBHOOK_SECRET is required with RDMC_SMS_WEBHOOK_URL',
    path: ['smsWebhookSecret'],
  })
  .refine((c) => (c.tlsCert === undefined) === (c.tlsKey === undefined), {
    message: 'RDMC_TLS_CERT and RDMC_TLS_KEY go together: set both or neither',
    path: ['tlsKey'],
  })
  .refine((c) => c.tlsCert === undefined || c.tlsPort !== undefined, {
    message: 'a certificate needs an HTTPS port: set RDMC_TLS_PORT (--tls-port)',
    path: ['tlsPort'],
  })
  .refine((c) => c.http || c.tlsPort !== undefined, {
    message: 'with HTTP off (--no-http), set RDMC_TLS_PORT (--tls-port) or nothing is served',
    path: ['http'],
  })
  .refine((c) => c.jobRetryMaxMs >= c.jobRetryBaseMs, {
    message: 'must be at least jobRetryBaseMs (--job-retry-base-ms, RDMC_JOB_RETRY_BASE_MS)',
    path: ['jobRetryMaxMs'],
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
