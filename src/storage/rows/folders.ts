import type { FolderRecord } from '../records.js';
import type { NamedChild } from '../store.js';

/** A `folders` row as both dialects return it. */
export interface FolderRow {
  id: string;
  directory_id: string;
  parent_id: string | null;
  name: string;
  depth: number;
  create_time: number;
}

export const toFolder = (r: FolderRow): FolderRecord => ({
  id: r.id,
  directoryId: r.directory_id,
  parentId: r.parent_id,
  name: r.name,
  depth: r.depth,
  createTime: r.create_time,
});

/** A row of `FolderRepo.childrenByName`: the folder, its place among its siblings and how many they are. */
export type NamedChildRow = FolderRow & { n: number; siblings: number };

export const toNamedChild = (r: NamedChildRow): NamedChild => ({ folder: toFolder(r), siblings: r.siblings });
