import type { FolderRecord } from '../records.js';

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
