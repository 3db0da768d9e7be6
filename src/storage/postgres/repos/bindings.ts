import { toBinding, type BindingRow } from '../../rows/bindings.js';
import type { BindingRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

const s = {
  insert: sql('INSERT INTO contact_bindings (contact_id, member_id, member_kind, bound_at) VALUES ($1, $2, $3, $4)'),
  forContacts: sql<BindingRow>('SELECT * FROM contact_bindings WHERE contact_id = ANY($1::text[]) ORDER BY seq'),
  forMember: sql<BindingRow>('SELECT * FROM contact_bindings WHERE member_id = $1 ORDER BY seq'),
  delete: sql('DELETE FROM contact_bindings WHERE contact_id = $1 AND member_id = $2'),
  deleteForContact: sql('DELETE FROM contact_bindings WHERE contact_id = $1'),
  deleteForMember: sql('DELETE FROM contact_bindings WHERE member_id = $1'),
};

export function bindingRepo(q: Queryable): BindingRepo {
  const forContacts = async (contactIds: string[]) => (await s.forContacts.all(q, [contactIds])).map(toBinding);
  return {
    async insert(b) {
      await s.insert.run(q, [b.contactId, b.memberId, b.memberKind, b.boundAt]);
    },
    forContact: (contactId) => forContacts([contactId]),
    forContacts,
    async forMember(memberId) {
      return (await s.forMember.all(q, [memberId])).map(toBinding);
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
