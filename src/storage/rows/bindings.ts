import type { BindingRecord } from '../records.js';

/** A `contact_bindings` row as both dialects return it (`seq` keeps binding order and stays inside). */
export interface BindingRow {
  contact_id: string;
  member_id: string;
  member_kind: BindingRecord['memberKind'];
  bound_at: number;
}

export const toBinding = (r: BindingRow): BindingRecord => ({
  contactId: r.contact_id,
  memberId: r.member_id,
  memberKind: r.member_kind,
  boundAt: r.bound_at,
});
