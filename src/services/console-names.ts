import { MAX_FOLDER_DEPTH } from '../domain/folder-rules.js';
import { idPatterns } from '../domain/ids.js';
import type { DirectoryRecord, FolderRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';

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
 * to the Root (at most MAX_FOLDER_DEPTH + 1 statements, whatever their number).
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

/** The folders named and all their ancestors, by ID. */
export async function foldersUpToRoot(tx: Tx, directoryId: string, folderIds: string[]): Promise<Map<string, FolderRecord>> {
  const known = new Map<string, FolderRecord>();
  let next = [...new Set(folderIds)];
  for (let level = 0; next.length > 0 && level <= MAX_FOLDER_DEPTH; level++) {
    for (const f of await tx.folders.byIds(directoryId, next)) known.set(f.id, f);
    next = [...new Set([...known.values()].map((f) => f.parentId).filter((p): p is string => p !== null && !known.has(p)))];
  }
  return known;
}

/** A folder and its ancestors, the Root first. */
export function folderPath(folders: Map<string, FolderRecord>, id: string): FolderRecord[] {
  const path: FolderRecord[] = [];
  for (let f = folders.get(id); f; f = f.parentId ? folders.get(f.parentId) : undefined) path.unshift(f);
  return path;
}

export const folderName = (f: FolderRecord) => (f.parentId === null ? ROOT : f.name);
