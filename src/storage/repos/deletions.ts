import type { Executor } from '../executor.js';
import { toDeletion, type DeletionRow } from '../rows/deletions.js';
import { statement, type NoRow } from '../statement.js';
import type { DeletionRepo } from '../store.js';

const s = {
  upsert: statement<NoRow, { contactId: string; status: string; failReasons: string; startedAt: number }>(
    `INSERT INTO contact_deletions (contact_id, status, fail_reasons, started_at) VALUES (:contactId, :status, :failReasons, :startedAt)
     ON CONFLICT (contact_id) DO UPDATE SET status = excluded.status, fail_reasons = excluded.fail_reasons,
       started_at = excluded.started_at`,
  ),
  byContact: statement<DeletionRow, { contactId: string }>('SELECT * FROM contact_deletions WHERE contact_id = :contactId'),
  forContacts: statement<DeletionRow, { contactIds: readonly string[] }>(
    (d) => `SELECT * FROM contact_deletions WHERE ${d.in('contact_id', 'contactIds')}`,
  ),
  delete: statement<NoRow, { contactId: string }>('DELETE FROM contact_deletions WHERE contact_id = :contactId'),
};

export function deletionRepo(x: Executor): DeletionRepo {
  return {
    async upsert(d) {
      await x.run(s.upsert, { contactId: d.contactId, status: d.status, failReasons: JSON.stringify(d.failReasons), startedAt: d.startedAt });
    },
    async byContact(contactId) {
      const r = await x.one(s.byContact, { contactId });
      return r && toDeletion(r);
    },
    async forContacts(contactIds) {
      return (await x.all(s.forContacts, { contactIds })).map(toDeletion);
    },
    async delete(contactId) {
      await x.run(s.delete, { contactId });
    },
  };
}
