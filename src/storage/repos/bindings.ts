import type { Executor } from '../executor.js';
import type { BindingRecord } from '../records.js';
import { toBinding, type BindingRow } from '../rows/bindings.js';
import { statement, type NoRow } from '../statement.js';
import type { BindingRepo } from '../store.js';

const s = {
  // One JSON list, read in array order so that `seq` keeps the binding order; each dialect
  // has its own reader of a JSON array (SQLite's json_each, PostgreSQL's jsonb_to_recordset).
  insertMany: statement<NoRow, { bindings: string }>({
    sqlite: `INSERT INTO contact_bindings (contact_id, member_id, member_kind, bound_at)
      SELECT value->>'contactId', value->>'memberId', value->>'memberKind', value->>'boundAt' FROM json_each(:bindings)`,
    postgres: `INSERT INTO contact_bindings (contact_id, member_id, member_kind, bound_at)
      SELECT c, m, k, b FROM ROWS FROM (jsonb_to_recordset(:bindings::jsonb)
        AS ("contactId" text, "memberId" text, "memberKind" text, "boundAt" bigint)) WITH ORDINALITY AS u(c, m, k, b, n)
      ORDER BY n`,
  }),
  forContact: statement<BindingRow, { contactId: string }>('SELECT * FROM contact_bindings WHERE contact_id = :contactId ORDER BY seq'),
  forContacts: statement<BindingRow, { contactIds: readonly string[] }>(
    (d) => `SELECT * FROM contact_bindings WHERE ${d.in('contact_id', 'contactIds')} ORDER BY seq`,
  ),
  forMembers: statement<BindingRow, { memberIds: readonly string[] }>(
    (d) => `SELECT * FROM contact_bindings WHERE ${d.in('member_id', 'memberIds')} ORDER BY seq`,
  ),
  delete: statement<NoRow, { contactId: string; memberId: string }>(
    'DELETE FROM contact_bindings WHERE contact_id = :contactId AND member_id = :memberId',
  ),
  deleteForContact: statement<NoRow, { contactId: string }>('DELETE FROM contact_bindings WHERE contact_id = :contactId'),
  deleteForMember: statement<NoRow, { memberId: string }>('DELETE FROM contact_bindings WHERE member_id = :memberId'),
};

export function bindingRepo(x: Executor): BindingRepo {
  const insertMany = async (bindings: BindingRecord[]) => {
    if (bindings.length > 0) await x.run(s.insertMany, { bindings: JSON.stringify(bindings) });
  };
  return {
    insertMany,
    insert: (b) => insertMany([b]),
    async forContact(contactId) {
      return (await x.all(s.forContact, { contactId })).map(toBinding);
    },
    async forContacts(contactIds) {
      return (await x.all(s.forContacts, { contactIds })).map(toBinding);
    },
    async forMembers(memberIds) {
      return (await x.all(s.forMembers, { memberIds })).map(toBinding);
    },
    async delete(contactId, memberId) {
      await x.run(s.delete, { contactId, memberId });
    },
    async deleteForContact(contactId) {
      await x.run(s.deleteForContact, { contactId });
    },
    async deleteForMember(memberId) {
      await x.run(s.deleteForMember, { memberId });
    },
  };
}
