import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument, stringify, visit } from 'yaml';
import { ApiError } from '../domain/errors.js';
import { describeStateProblems, parseStateFile, type StateFile } from '../services/state-file.js';
import { UsageError } from './call.js';

export type StateFormat = 'json' | 'yaml';

/** `.json` is JSON; anything else is read as YAML (of which JSON is a subset) and written as YAML. */
export const formatOf = (path: string): StateFormat => (extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');

/**
 * The largest state file read from disk: some 400,000 tagged accounts as `rdmc export` writes
 * them, and a bound on what parsing it may cost (a document takes several times its size in memory).
 */
export const MAX_STATE_FILE_BYTES = 256 * 1024 * 1024;
/**
 * YAML aliases (`*name`) a state file may hold. Each one the parser resolves scans the anchors
 * and aliases before it, so many of them cost quadratic time (a 300 KB file of aliases ran
 * for minutes); an export writes none, and a hand-written file needs few.
 */
export const MAX_YAML_ALIASES = 100;

/** YAML, refused early when it holds more aliases than `MAX_YAML_ALIASES`: counted on the syntax tree, before any is resolved. */
function parseYaml(text: string): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw doc.errors[0];
  let aliases = 0;
  visit(doc, { Alias: () => (++aliases > MAX_YAML_ALIASES ? visit.BREAK : undefined) });
  if (aliases > MAX_YAML_ALIASES) throw new Error(`more than ${MAX_YAML_ALIASES} aliases (*name)`);
  return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
}

/** Reads and checks a state file; every problem is named with its place in the file. */
export async function readStateFile(path: string): Promise<StateFile> {
  let text: string;
  try {
    const { size } = await stat(path);
    if (size > MAX_STATE_FILE_BYTES) throw new Error(`${size} bytes, more than the ${MAX_STATE_FILE_BYTES} a state file may hold`);
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = formatOf(path) === 'json' ? JSON.parse(text) : parseYaml(text);
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
  if ('problems' in parsed) throw new UsageError(describeStateProblems(path, parsed.problems));
  return parsed.file;
}

export function renderState(state: unknown, format: StateFormat): string {
  return format === 'json' ? `${JSON.stringify(state, null, 2)}\n` : stringify(state);
}
