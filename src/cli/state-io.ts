import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse, stringify } from 'yaml';
import { ApiError } from '../domain/errors.js';
import { parseStateFile, type StateFile } from '../services/state-file.js';
import { UsageError } from './call.js';

export type StateFormat = 'json' | 'yaml';

/** `.json` is JSON; anything else is read as YAML (of which JSON is a subset) and written as YAML. */
export const formatOf = (path: string): StateFormat => (extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');

/** Reads and checks a state file; every problem is named with its place in the file. */
export async function readStateFile(path: string): Promise<StateFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = formatOf(path) === 'json' ? JSON.parse(text) : parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid ${formatOf(path) === 'json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  let parsed: ReturnType<typeof parseStateFile>;
  try {
    parsed = parseStateFile(value);
  } catch (err) {
    if (err instanceof ApiError) throw new UsageError(`${path}: ${err.code}: ${err.message}`);
    throw err;
  }
  if ('problems' in parsed) throw new UsageError(`${path}:\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}`);
  return parsed.file;
}

export function renderState(state: unknown, format: StateFormat): string {
  return format === 'json' ? `${JSON.stringify(state, null, 2)}\n` : stringify(state);
}
