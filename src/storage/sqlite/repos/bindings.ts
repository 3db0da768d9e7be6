import type { Db } from '../db.js';
import { toBinding as toRecord, type BindingRow as Row } from '../../rows/bindings.js';
import type { BindingRepo } from '../../store.js';

export function bindingRepo(db: Db): BindingRepo {
  const insert = db.prepare('INSERT INTO contact_bindings (contact_id, member_id, member_kind, bound_at) VALUES (?, ?, ?, ?)');
  const forContact = db.prepare('SELECT * FROM contact_bindings WHERE contact_id = ? ORDER BY seq');
  const forMember = db.prepare('SELECT * FROM contact_bindings WHERE member_id = ? ORDER BY seq');
  const del = db.prepare('DELETE FROM contact_bindings WHERE contact_id = ? AND member_id = ?');
  const delAll = db.prepare('DELETE FROM contact_bindings WHERE contact_id = ?');
  const delMember = db.prepare('DELETE FROM contact_bindings WHERE member_id = ?');
  return {
    async insert(b) {
      insert.run(b.contactId, b.memberId, b.memberKind, b.boundAt);
    },
    async forContact(contactId) {
      return (forContact.all(contactId) as Row[]).map(toRecord);
    },
    async forContacts(contactIds) {
      if (contactIds.length === 0) return [];
      const marks = contactIds.map(() => '?').join(',');
      const rows = db.prepare(`SELECT * FROM contact_bindings WHERE contact_id IN (${marks}) ORDER BY seq`).all(...contactIds);
      return (rows as Row[]).map(toRecord);
    },
    async forMember(memberId) {
      return (forMember.all(memberId) as Row[]).map(toRecord);
    },
    async delete(contactId, memberId) {
      del.run(contactId, memberId);
    },
    async deleteForContact(contactId) {
      delAll.run(contactId);
    },
    async deleteForMember(memberId) {
      delMember.run(memberId);
    },
  };
}
