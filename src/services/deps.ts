import type { Clock } from '../domain/clock.js';
import type { IdSource } from '../domain/ids.js';
import type { Store, Tx } from '../storage/store.js';
import type { DirectoryRecord } from '../storage/records.js';
import { errors } from '../domain/errors.js';

/** What every service is built from; `server.ts` assembles it once. */
export interface ServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

/** The directory the caller manages; only a management account may act on one. */
export async function callerDirectory(tx: Tx, accountId: string): Promise<DirectoryRecord> {
  const directory = await tx.directories.byMasterAccount(accountId);
  if (!directory) throw errors.resourceDirectoryNotExists();
  return directory;
}

export interface PageRequest {
  PageNumber: number;
  PageSize: number;
}

export const toPage = (p: PageRequest) => ({ offset: (p.PageNumber - 1) * p.PageSize, limit: p.PageSize });
