import { readStateFile } from '../cli/state-io.js';
import { ownErrors } from '../domain/errors.js';
import { describeStateProblems, parseStateFile, type StateFile } from '../services/state-file.js';

/**
 * A state file handed to the library (`startServer({ initialState })`, `admin.importState`),
 * checked as `rdmc import` checks one: a path is read by the same reader (JSON or YAML, its
 * size and alias limits, the same messages); an object meets the same nesting rule and schema,
 * refused as 400 `InvalidState` with the problems listed as `rdmc import` lists them. The rules
 * that need no database (`checkStateFile`) and those that do run when the file is laid down,
 * before its first write, whichever way it came.
 */
export async function readStateInput(input: unknown, place: string): Promise<StateFile> {
  if (typeof input === 'string') return readStateFile(input);
  const parsed = parseStateFile(input);
  if ('problems' in parsed) throw ownErrors.invalidState(describeStateProblems(place, parsed.problems));
  return parsed.file;
}
