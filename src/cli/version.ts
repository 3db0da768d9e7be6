import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in rdmc's own package.json, found by walking up from this module: the same
 * code runs as the bundle (dist/rdmc.mjs) and as tsc's output (dist/src/cli/), at different depths.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rd-message-contacts' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look one folder up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
