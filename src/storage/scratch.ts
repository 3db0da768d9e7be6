import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * rdmc's own folder in the temporary directory, for the copies a download streams from (an
 * online backup). Each copy lives in a folder named after the process that made it, so a
 * process that starts can tell copies a crashed process left (kill -9 skips every cleanup)
 * from those a live one is still sending.
 */
export const scratchRoot = () => join(tmpdir(), 'rdmc-scratch');

/** A new empty folder of this process under the scratch root; the caller removes it when done. */
export async function scratchFolder(): Promise<string> {
  await mkdir(scratchRoot(), { recursive: true });
  return mkdtemp(join(scratchRoot(), `${process.pid}-`));
}

/** Whether a process with this ID runs (one of another user counts: it answers EPERM). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the scratch folders of processes that no longer run; answers how many went. A
 * folder whose process ID is alive stays, even when the ID was reused by another program:
 * a leftover kept is better than a live download cut.
 */
export async function removeOrphanedScratch(): Promise<number> {
  const names = await readdir(scratchRoot()).catch(() => [] as string[]);
  const orphans = names.filter((name) => {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    return Number.isSafeInteger(pid) && pid > 0 && !alive(pid);
  });
  await Promise.all(orphans.map((name) => rm(join(scratchRoot(), name), { recursive: true, force: true })));
  return orphans.length;
}
