import { StoreUnavailable } from '../unavailable.js';

/**
 * SQLite's result codes for a file it cannot write (extended codes carry the primary one as
 * their prefix: SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED...): the disk is full, the file
 * or its folder became read-only, or the device fails. Each passes once an operator frees
 * space or remounts, so callers are told to retry rather than that rdmc has a bug.
 */
const UNWRITABLE_SQLITE = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN'];

/** The same conditions as the operating system reports them (a backup's copy, say). */
const UNWRITABLE_OS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

function unwritable(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  return UNWRITABLE_OS.has(code) || UNWRITABLE_SQLITE.some((c) => code === c || code.startsWith(`${c}_`));
}

/** `err` as the store throws it: `StoreUnavailable` for a file that cannot be written now, anything else unchanged. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailable) return err;
  return unwritable((err as { code?: unknown } | null)?.code) ? new StoreUnavailable('unwritable', { cause: err }) : err;
}

/** Told when writes start failing for a reason that passes (a full disk, a read-only file) and when they commit again. */
export interface Writability {
  /** The first failure of an episode, with SQLite's own error; later failures of the episode are not reported. */
  lost(err: unknown): void;
  regained(): void;
}

/**
 * An episode lasts until writes have committed for this long without a failure: on a disk
 * that is nearly full, small commits fit where larger ones fail, and each success must not
 * end an episode (and log a pair of lines) only for the next write to start another.
 */
export const QUIET_MS = 1_000;

/** The episodes of a file that cannot be written, from the failures and commits of its writes. */
export class UnwritableEpisodes {
  private last: { err: unknown; at: number } | null = null;

  constructor(
    private readonly report: Writability,
    private readonly now: () => number = () => performance.now(),
  ) {}

  failed(err: unknown): void {
    if (this.last === null) this.report.lost(err);
    this.last = { err, at: this.now() };
  }

  committed(): void {
    if (this.last === null || this.now() - this.last.at < QUIET_MS) return;
    this.last = null;
    this.report.regained();
  }

  /** While an episode lasts: its latest failure, as the store throws it. */
  get unavailable(): StoreUnavailable | null {
    return this.last && new StoreUnavailable('unwritable', { cause: this.last.err });
  }
}
