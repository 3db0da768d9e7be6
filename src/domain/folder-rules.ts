import { errors } from './errors.js';

/** Folders nest at most this many levels below the Root folder (`LimitExceeded.Folder.Depth`). */
export const MAX_FOLDER_DEPTH = 5;

/**
 * The depth of a new folder under a parent at `parentDepth` (the Root is 0), or the depth
 * rule's refusal: the one check for CreateFolder, a state file as read and as applied.
 */
export function childFolderDepth(parentDepth: number): number {
  if (parentDepth >= MAX_FOLDER_DEPTH) throw errors.folderDepthExceeded();
  return parentDepth + 1;
}
