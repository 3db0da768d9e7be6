import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { ALTERNATE_CONTACT, awsAccount } from '../load/requests.js';
import type { TargetSpec } from './launch.js';

/** The first executable `moto_server` on PATH, or null (the bench then skips moto). */
export async function findMoto(): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'moto_server');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return null;
}

export function motoSpec(executable: string): TargetSpec {
  return {
    name: 'moto',
    command: executable,
    args: (port) => ['-H', '127.0.0.1', '-p', String(port)],
    // PutAlternateContact answers 200 on an empty moto; Get would be a 404 until a Put.
    probe: () => awsAccount('putAlternateContact', ALTERNATE_CONTACT),
  };
}
