import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ZodIssue } from 'zod';
import { configSchema, type Config, type ConfigInput } from './schema.js';
import { DEFAULT_DB, developmentKeysIn, SETTINGS, settingLabel, settingsOf, type NodeCommand, type Setting, type SettingName } from './settings.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `port (--port, RDMC_PORT): …`, `accessKeys (RDMC_ACCESS_KEYS): entry 2: …`: what a user set, not a schema path. */
function describeIssue(issue: ZodIssue): string {
  const [head, ...rest] = issue.path;
  if (typeof head !== 'string' || !(head in SETTINGS)) return `${issue.path.join('.') || 'config'}: ${issue.message}`;
  const entry = typeof rest[0] === 'number' ? ` entry ${rest[0] + 1}:` : '';
  return `${settingLabel(head as SettingName)}:${entry} ${issue.message}`;
}

/** The rules a schema cannot check: a database file needs an existing folder (only the default one is made). */
function checkDatabasePath(config: Config, problems: string[]): void {
  const db = config.db;
  if (db === ':memory:' || /^postgres(ql)?:\/\//.test(db) || db === DEFAULT_DB) return;
  if (!existsSync(dirname(db))) problems.push(`${settingLabel('db')}: the folder ${dirname(db)} does not exist`);
}

/** Addresses only this machine can reach; anything else (0.0.0.0, ::, a LAN address, a name) may be reached by others. */
const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** The development key is printed in the README: serving it where others can reach it takes an explicit yes. */
function checkDevelopmentKey(config: Config, problems: string[]): void {
  const published = developmentKeysIn(config.accessKeys);
  if (published.length === 0 || isLoopback(config.host) || config.allowDevKey) return;
  const named = published.map((k) => k.accessKeyId).join(' and ');
  problems.push(
    `${settingLabel('host')}: ${config.host} is not a loopback address, and the well-known development key ${named} ` +
      `would let anyone who reaches it sign requests; set RDMC_ACCESS_KEYS, or start with ${settingLabel('allowDevKey')} to serve it all the same`,
  );
}

function validate(input: ConfigInput, problems: string[], command: NodeCommand): Config {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) problems.push(...parsed.error.issues.map(describeIssue));
  else {
    checkDatabasePath(parsed.data, problems);
    if (command === 'serve') checkDevelopmentKey(parsed.data, problems);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

/** Validates settings, naming every problem at once instead of the first one found. */
export function resolveConfig(input: ConfigInput, command: NodeCommand = 'serve'): Config {
  return validate(input, [], command);
}

/** `id:secret:account[:ramUser],…`; every malformed entry is a problem, a stray comma too. */
function parseAccessKeys(label: string, text: string, problems: string[]): ConfigInput['accessKeys'] {
  const before = problems.length;
  const keys = text.split(',').map((raw, i) => {
    const entry = raw.trim();
    const parts = entry.split(':');
    if (entry === '') problems.push(`${label}: entry ${i + 1} is empty (a stray comma?)`);
    else if (parts.length < 3 || parts.length > 4 || parts.some((p) => p === '')) {
      problems.push(`${label}: entry ${i + 1} must be AccessKeyId:AccessKeySecret:AccountId[:RamUserName]`);
    }
    return { accessKeyId: parts[0] ?? '', accessKeySecret: parts[1] ?? '', accountId: parts[2] ?? '', ...(parts[3] && { userName: parts[3] }) };
  });
  // A malformed list is reported once, by entry, not again field by field.
  return problems.length === before ? keys : undefined;
}

/** Turns a flag's or variable's text into the setting's value, or records why it cannot. */
function fromText(name: SettingName, text: string, problems: string[]): unknown {
  const s: Setting = SETTINGS[name];
  const label = settingLabel(name);
  switch (s.kind) {
    case 'integer':
      if (/^-?\d+$/.test(text.trim())) return Number(text);
      problems.push(`${label}: "${text}" is not a whole number`);
      return undefined;
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      problems.push(`${label}: expected true or false, got "${text}"`);
      return undefined;
    case 'accessKeys':
      return parseAccessKeys(label, text, problems);
    case 'string':
      return text;
  }
}

/** The parseArgs options of every setting of `command` that has a flag. */
function settingFlags(command: NodeCommand): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const name of settingsOf(command)) {
    const s: Setting = SETTINGS[name];
    if (s.flag) options[s.flag] = { type: s.kind === 'boolean' ? 'boolean' : 'string' };
  }
  return options;
}

/** Why a command line could not be read, in a user's words. */
export function describeArgsError(err: unknown, command: string): string {
  const e = err as { code?: string; message?: string };
  const flag = /'(-[^' ]+)/.exec(e.message ?? '')?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return `${flag}: unknown flag (rdmc ${command} --help lists them)`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) return `${flag}: needs a value`;
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `${e.message?.replace(/^Unexpected argument '([^']*)'.*$/s, 'unexpected argument "$1"')}`;
  return e.message ?? String(err);
}

/**
 * Flags win over RDMC_* environment variables, which win over the defaults. A command reads
 * its own settings only: another command's flag is unknown to it, and another command's
 * variable (from an environment both share) is left alone.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv, command: NodeCommand = 'serve'): Config {
  const names = settingsOf(command);
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  for (const name of names) {
    const variable = (SETTINGS[name] as Setting).variable;
    const text = variable ? env[variable] : undefined;
    if (text !== undefined && text !== '') input[name] = fromText(name, text, problems);
  }
  let flags: Record<string, string | boolean | Array<string | boolean> | undefined>;
  try {
    flags = parseArgs({ args: argv, strict: true, allowPositionals: false, options: settingFlags(command) }).values;
  } catch (err) {
    throw new ConfigError([...problems, describeArgsError(err, command)]);
  }
  for (const name of names) {
    const s: Setting = SETTINGS[name];
    const value = s.flag ? flags[s.flag] : undefined;
    if (value === undefined) continue;
    input[name] = s.kind === 'boolean' ? s.flagValue : fromText(name, value as string, problems);
  }
  return validate(input as ConfigInput, problems, command);
}
