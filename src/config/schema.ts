import { z } from 'zod';
import { SETTINGS } from './settings.js';

export { ASYNC_MODES, DEFAULT_ACCESS_KEY, type AccessKey, type AsyncMode } from './settings.js';

type Schemas = { [K in keyof typeof SETTINGS]: (typeof SETTINGS)[K]['schema'] };
const schemas = Object.fromEntries(Object.entries(SETTINGS).map(([name, s]) => [name, s.schema])) as Schemas;

/** The settings table's schemas as one object, plus the rules that span two settings. */
export const configSchema = z
  .object(schemas)
  .strict()
  .refine((c) => c.smsWebhookUrl === undefined || c.smsWebhookSecret !== undefined, {
    message: 'RDMC_SMS_WEBHOOK_SECRET is required with RDMC_SMS_WEBHOOK_URL',
    path: ['smsWebhookSecret'],
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
