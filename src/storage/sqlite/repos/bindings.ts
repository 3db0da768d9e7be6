import type { Db } from '../db.js';
import { IN_LIST, listParam } from '../lists.js';
import { toBinding as toRecord, type BindingRow as Row } from '../../rows/bindings.js';
import type { BindingRecord } from '../../records.js';
import type { BindingRepo } from '../../store.js';

export function bindingRepo(db: Db): BindingRepo {
  const insertMany = db.prepare(
    `INSERT INTO contact_bindings (contact_id, member_id, member_kind, bound_at)
     SELECT value->>'contactId', value->>'memberId', value->>'memberKind', value->>'boundAt' FROM json_each(?)`,
  );
  const forContacts = db.prepare(`SELECT * FROM contact_bindings WHERE contact_id IN (${IN_LIST}) ORDER BY seq`);
  const forContact = db.prepare('SELECT * FROM contact_bindings WHERE contact_id = ? ORDER BY seq');
  const forMembers = db.prepare(`SELECT * FROM contact_bindings WHERE member_id IN (${IN_LIST}) ORDER BY seq`);
  const del = db.prepare('DELETE FROM contact_bindings WHERE contact_id = ? AND member_id = ?');
  const delAll = db.prepare('DELETE FROM contact_bindings WHERE contact_id = ?');
  const delMember = db.prepare('DELETE FROM contact_bindings WHERE member_id = ?');
  // json_each keeps the array's order, and with it the binding order `seq` records.
  const writeMany = async (bindings: BindingRecord[]) => {
    if (bindings.length > 0) insertMany.run(listParam(bindings));
  };
  return {
    insertMany: writeMany,
    insert: (b) => writeMany([b]),
    async forContact(contactId) {
      return (forContact.all(contactId) as Row[]).map(toRecord);
    },
    async forContacts(contactIds) {
      return (forContacts.all(listParam(contactIds)) as Row[]).map(toRecord);
    },
    async forMembers(memberIds) {
      return (forMembers.all(listParam(memberIds)) as Row[]).map(toRecord);
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
