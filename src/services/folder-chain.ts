import { MAX_FOLDER_DEPTH } from '../domain/folder-rules.js';
import type { FolderRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';

/**
 * The folders named and all their ancestors, by ID: one statement per level up to the Root,
 * for all of them at once (at most MAX_FOLDER_DEPTH + 1 statements, whatever their number),
 * never the directory's other folders.
 */
export async function foldersUpToRoot(tx: Tx, directoryId: string, folderIds: Iterable<string>): Promise<Map<string, FolderRecord>> {
  const known = new Map<string, FolderRecord>();
  let next = [...new Set(folderIds)];
  for (let level = 0; next.length > 0 && level <= MAX_FOLDER_DEPTH; level++) {
    for (const f of await tx.folders.byIds(directoryId, next)) known.set(f.id, f);
    next = [...new Set([...known.values()].map((f) => f.parentId).filter((p): p is string => p !== null && !known.has(p)))];
  }
  return known;
}

/** A folder and its ancestors, the Root first, from folders read by `foldersUpToRoot`. */
export function folderPath(folders: ReadonlyMap<string, FolderRecord>, id: string): FolderRecord[] {
  const path: FolderRecord[] = [];
  for (let f = folders.get(id); f; f = f.parentId ? folders.get(f.parentId) : undefined) path.unshift(f);
  return path;
}
