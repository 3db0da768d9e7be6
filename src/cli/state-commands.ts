import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { describeArgsError } from '../config/load.js';
import { adminRequest, adminTarget } from './admin-client.js';
import { UsageError } from './call.js';
import { formatOf, readStateFile, renderState, type StateFormat } from './state-io.js';

export const TARGET_FLAGS = `  --endpoint URL      The server; default RDMC_ENDPOINT, else http://127.0.0.1:8080.
  --admin-token TOKEN Default RDMC_ADMIN_TOKEN (needed unless the server is on loopback).`;

export const EXPORT_USAGE = `usage: rdmc export [FILE] [--format yaml|json] [--endpoint URL] [--admin-token TOKEN]

Writes the directories of the server's access keys (folders, member accounts, contacts with
their verified and pending addresses, bindings) as a state file: to FILE (JSON when it ends
in .json, else YAML), or YAML on stdout. rdmc import and rdmc serve --init read it.

${TARGET_FLAGS}`;

export const IMPORT_USAGE = `usage: rdmc import FILE [--endpoint URL] [--admin-token TOKEN]

Replaces the server's whole state with a state file (JSON or YAML, at most 256 MiB and 100
YAML aliases): the file is checked whole, then every row is wiped, the file laid down with
its own IDs and the bootstrap added, in one transaction: a refused file changes nothing.
Message centers follow as jobs.

${TARGET_FLAGS}`;

export const BACKUP_USAGE = `usage: rdmc backup FILE [--endpoint URL] [--admin-token TOKEN]

Writes an online backup of the server's SQLite database to FILE while it keeps serving
(PostgreSQL: use pg_dump). To restore, stop rdmc and start it with --db FILE.

${TARGET_FLAGS}`;

/** The flags of a command that talks to the admin API, plus its own (`extra`); a bad one is a usage error. */
export function parse(argv: string[], command: string, extra: Record<string, { type: 'string' }> = {}) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { endpoint: { type: 'string' }, 'admin-token': { type: 'string' }, ...extra },
    });
  } catch (err) {
    throw new UsageError(describeArgsError(err, command));
  }
}

function onePath(positionals: string[], required: boolean): string | undefined {
  if (positionals.length > 1) throw new UsageError(`expected one FILE, got ${positionals.length}`);
  if (required && positionals.length === 0) throw new UsageError('expected a FILE');
  return positionals[0];
}

export async function exportState(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(argv, 'export', { format: { type: 'string' } });
  const path = onePath(positionals, false);
  const format = ((values as { format?: string }).format ?? (path ? formatOf(path) : 'yaml')) as StateFormat;
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, got "${format}"`);
  const { State } = (await (await adminRequest(adminTarget(values, env), 'GET', '/state')).json()) as { State: unknown };
  const text = renderState(State, format);
  if (path) await writeFile(path, text);
  else process.stdout.write(text);
}

export async function importState(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(argv, 'import');
  const file = await readStateFile(onePath(positionals, true)!);
  const { Applied } = (await (await adminRequest(adminTarget(values, env), 'PUT', '/state', file)).json()) as { Applied: Record<string, number> };
  console.log(`rdmc import: ${Applied.Folders} folders, ${Applied.Accounts} accounts, ${Applied.Contacts} contacts`);
}

export async function backup(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(argv, 'backup');
  const path = onePath(positionals, true)!;
  const res = await adminRequest(adminTarget(values, env), 'GET', '/backup');
  // Written beside the target and renamed at the end: FILE is never a half-written database.
  const partial = `${path}.partial`;
  try {
    await pipeline(Readable.fromWeb(res.body! as import('node:stream/web').ReadableStream), createWriteStream(partial));
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  console.log(`rdmc backup: ${path}`);
}
