import { idPatterns } from '../domain/ids.js';
import type { DirectoryRecord, FolderRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { folderPath, foldersUpToRoot } from './folder-chain.js';

/** What the console writes beside an ID: an account's display name, a folder's path, or the directory. */
export interface Named {
  Id: string;
  Kind: 'account' | 'folder' | 'directory' | 'unknown';
  /** `Root / Finance / EU` for a folder, the display name for an account. */
  Name: string;
}

/** The Root folder as people call it (its stored name is `root`). */
const ROOT = 'Root';

/**
 * The names of the IDs a page shows (binding targets, `Via`, failed accounts), read for
 * all of them at once: the accounts in one statement, the folders one level at a time up
 * to the Root (folder-chain.ts).
 */
export async function namesOf(tx: Tx, directory: DirectoryRecord, ids: Iterable<string>): Promise<Map<string, Named>> {
  const wanted = [...new Set(ids)];
  const accounts = await tx.accounts.byIds(directory.id, wanted.filter((id) => idPatterns.account.test(id)));
  const folders = await foldersUpToRoot(tx, directory.id, wanted.filter((id) => !idPatterns.account.test(id) && id !== directory.id));
  const names = new Map<string, Named>();
  for (const a of accounts) names.set(a.id, { Id: a.id, Kind: 'account', Name: a.displayName });
  for (const id of wanted) {
    if (id === directory.id) names.set(id, { Id: id, Kind: 'directory', Name: 'the whole directory' });
    else if (folders.has(id)) names.set(id, { Id: id, Kind: 'folder', Name: folderPath(folders, id).map(folderName).join(' / ') });
    else if (!names.has(id)) names.set(id, { Id: id, Kind: 'unknown', Name: '' });
  }
  return names;
}

export const folderName = (f: FolderRecord) => (f.parentId === null ? ROOT : f.name);
