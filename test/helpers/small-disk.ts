import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file system of its own, small enough for a test to fill: a tmpfs mounted in a temporary folder. */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the file system refuses another byte (ENOSPC). */
  fill(): void;
  /** Removes the filler: the space is back. */
  free(): void;
  /** Unmounts and removes the folder. */
  remove(): void;
}

const FILLER = 'filler';

/**
 * Mounts a tmpfs of `sizeMb`, or answers why it cannot (mounting needs root, which the dev
 * and CI machines give tests): the caller skips with that reason, printed so that a skipped
 * test never looks like a passing one.
 */
export function mountSmallDisk(sizeMb: number): SmallDisk | string {
  const dir = mkdtempSync(join(tmpdir(), 'rdmc-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `cannot mount a tmpfs (${(err as Error).message.split('\n')[0]}): the full-disk tests are SKIPPED (run them as root)`;
    console.warn(`\n${'!'.repeat(100)}\n!!! ${reason}\n${'!'.repeat(100)}\n`);
    return reason;
  }
  const filler = join(dir, FILLER);
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        // Large blocks first, then single bytes, so not even a partial block is left.
        for (const size of [65_536, 4_096, 1]) {
          const block = Buffer.alloc(size);
          try {
            for (;;) writeSync(fd, block);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      unlinkSync(filler);
    },
    remove() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
