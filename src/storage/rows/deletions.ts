import type { DeletionRecord } from '../records.js';

/** A `contact_deletions` row as both dialects return it. */
export interface DeletionRow {
  contact_id: string;
  status: DeletionRecord['status'];
  /** JSON text. */
  fail_reasons: string;
  started_at: number;
}

export const toDeletion = (r: DeletionRow): DeletionRecord => ({
  contactId: r.contact_id,
  status: r.status,
  failReasons: JSON.parse(r.fail_reasons) as DeletionRecord['failReasons'],
  startedAt: r.started_at,
});
