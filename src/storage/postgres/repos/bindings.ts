import { toBinding, type BindingRow } from '../../rows/bindings.js';
import type { BindingRecord } from '../../records.js';
import type { BindingRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

const s = {
  // In array order, so `seq` keeps the binding order.
  insertMany: sql(
    `INSERT INTO contact_bindings (contact_id, member_id, member_kind, bound_at)
     SELECT c, m, k, b FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(c, m, k, b, n) ORDER BY n`,
  ),
  forContacts: sql<BindingRow>('SELECT * FROM contact_bindings WHERE contact_id = ANY($1::text[]) ORDER BY seq'),
  forMembers: sql<BindingRow>('SELECT * FROM contact_bindings WHERE member_id = ANY($1::text[]) ORDER BY seq'),
  delete: sql('DELETE FROM contact_bindings WHERE contact_id = $1 AND member_id = $2'),
  deleteForContact: sql('DELETE FROM contact_bindings WHERE contact_id = $1'),
  deleteForMember: sql('DELETE FROM contact_bindings WHERE member_id = $1'),
};

export function bindingRepo(q: Queryable): BindingRepo {
  const forContacts = async (contactIds: string[]) => (await s.forContacts.all(q, [contactIds])).map(toBinding);
  const insertMany = async (bindings: BindingRecord[]) => {
    if (bindings.length === 0) return;
    const column = <K extends keyof BindingRecord>(k: K) => bindings.map((b) => b[k]);
    await s.insertMany.run(q, [column('contactId'), column('memberId'), column('memberKind'), column('boundAt')]);
  };
  return {
    insertMany,
    insert: (b) => insertMany([b]),
    forContact: (contactId) => forContacts([contactId]),
    forContacts,
    async forMembers(memberIds) {
      return (await s.forMembers.all(q, [memberIds])).map(toBinding);
    },
    async delete(contactId, memberId) {
      await s.delete.run(q, [contactId, memberId]);
    },
    async deleteForContact(contactId) {
      await s.deleteForContact.run(q, [contactId]);
    },
    async deleteForMember(memberId) {
      await s.deleteForMember.run(q, [memberId]);
    },
  };
}
