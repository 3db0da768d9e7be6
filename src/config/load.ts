import { parseArgs } from 'node:util';
import { configSchema, type Config, type ConfigInput } from './schema.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates settings, naming every problem at once instead of the first one found. */
export function resolveConfig(input: ConfigInput): Config {
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`));
}

/** `RDMC_ACCESS_KEYS=id:secret:account,id:secret:account`; problems are collected, not thrown. */
function parseAccessKeys(text: string, problems: string[]): ConfigInput['accessKeys'] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const parts = entry.split(':');
      if (parts.length !== 3) {
        problems.push(`RDMC_ACCESS_KEYS: entry ${i + 1} must be AccessKeyId:AccessKeySecret:AccountId`);
      }
      return { accessKeyId: parts[0] ?? '', accessKeySecret: parts[1] ?? '', accountId: parts[2] ?? '' };
    });
}

function parseBoolean(name: string, value: string, problems: string[]): boolean | undefined {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  problems.push(`${name}: expected true or false, got "${value}"`);
  return undefined;
}

/** Flags win over RDMC_* environment variables, which win over the defaults. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  const fromEnv: Array<[string, string]> = [
    ['RDMC_HOST', 'host'],
    ['RDMC_PORT', 'port'],
    ['RDMC_DB', 'db'],
    ['RDMC_PG_POOL_SIZE', 'pgPoolSize'],
    ['RDMC_ASYNC_MODE', 'asyncMode'],
    ['RDMC_ASYNC_DELAY_MS', 'asyncDelayMs'],
    ['RDMC_CONTACT_QUOTA', 'contactQuota'],
    ['RDMC_JOB_STALE_LOCK_MS', 'jobStaleLockMs'],
    ['RDMC_JOB_BATCH_SIZE', 'jobBatchSize'],
    ['RDMC_JOB_RETRY_BASE_MS', 'jobRetryBaseMs'],
    ['RDMC_ADMIN_TOKEN', 'adminToken'],
    ['RDMC_LOG_LEVEL', 'logLevel'],
    ['RDMC_PUBLIC_URL', 'publicUrl'],
    ['RDMC_SMTP_URL', 'smtpUrl'],
    ['RDMC_SMTP_FROM', 'smtpFrom'],
    ['RDMC_SMS_WEBHOOK_URL', 'smsWebhookUrl'],
    ['RDMC_SMS_WEBHOOK_SECRET', 'smsWebhookSecret'],
    ['RDMC_VERIFICATION_TTL_MS', 'verificationTtlMs'],
  ];
  for (const [variable, key] of fromEnv) {
    const value = env[variable];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (env.RDMC_ACCESS_KEYS) input.accessKeys = parseAccessKeys(env.RDMC_ACCESS_KEYS, problems);
  if (env.RDMC_LOOSE) input.loose = parseBoolean('RDMC_LOOSE', env.RDMC_LOOSE, problems);
  if (env.RDMC_WORKER) input.worker = parseBoolean('RDMC_WORKER', env.RDMC_WORKER, problems);

  let flags;
  try {
    flags = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        db: { type: 'string' },
        'pg-pool-size': { type: 'string' },
        'no-bootstrap': { type: 'boolean' },
        'no-worker': { type: 'boolean' },
        loose: { type: 'boolean' },
        'async-mode': { type: 'string' },
        'async-delay-ms': { type: 'string' },
        'contact-quota': { type: 'string' },
        'log-level': { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new ConfigError([...problems, (err as Error).message]);
  }
  const fromFlags: Array<[keyof typeof flags, string]> = [
    ['host', 'host'],
    ['port', 'port'],
    ['db', 'db'],
    ['pg-pool-size', 'pgPoolSize'],
    ['async-mode', 'asyncMode'],
    ['async-delay-ms', 'asyncDelayMs'],
    ['contact-quota', 'contactQuota'],
    ['log-level', 'logLevel'],
  ];
  for (const [flag, key] of fromFlags) if (flags[flag] !== undefined) input[key] = flags[flag];
  if (flags['no-bootstrap']) input.bootstrap = false;
  if (flags['no-worker']) input.worker = false;
  if (flags.loose) input.loose = true;

  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}
