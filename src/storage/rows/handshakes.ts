import type { StoredStatus, TargetType } from '../../domain/handshake-rules.js';
import type { HandshakeRecord } from '../records.js';

/** A `handshakes` row, as both dialects return it (BIGINT may arrive as a string). */
export interface HandshakeRow {
  id: string;
  directory_id: string;
  master_account_id: string;
  master_account_name: string;
  target_type: TargetType;
  target_entity: string;
  target_account_id: string;
  note: string;
  parent_folder_id: string | null;
  /** JSON text of `[{key, value}]`. */
  tags: string;
  status: StoredStatus;
  create_time: number;
  modify_time: number;
  expire_time: number;
  ended_at: number | null;
}

export const toHandshake = (r: HandshakeRow): HandshakeRecord => ({
  id: r.id,
  directoryId: r.directory_id,
  masterAccountId: r.master_account_id,
  masterAccountName: r.master_account_name,
  targetType: r.target_type,
  targetEntity: r.target_entity,
  targetAccountId: r.target_account_id,
  note: r.note,
  parentFolderId: r.parent_folder_id,
  tags: JSON.parse(r.tags) as HandshakeRecord['tags'],
  status: r.status,
  createTime: Number(r.create_time),
  modifyTime: Number(r.modify_time),
  expireTime: Number(r.expire_time),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
});
