import { toDeletion, type DeletionRow } from '../../rows/deletions.js';
import type { DeletionRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

const s = {
  upsert: sql(
    `INSERT INTO contact_deletions (contact_id, status, fail_reasons, started_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (contact_id) DO UPDATE SET status = excluded.status, fail_reasons = excluded.fail_reasons,
       started_at = excluded.started_at`,
  ),
  byContact: sql<DeletionRow>('SELECT * FROM contact_deletions WHERE contact_id = $1'),
  forContacts: sql<DeletionRow>('SELECT * FROM contact_deletions WHERE contact_id = ANY($1::text[])'),
  delete: sql('DELETE FROM contact_deletions WHERE contact_id = $1'),
};

export function deletionRepo(q: Queryable): DeletionRepo {
  return {
    async upsert(d) {
      await s.upsert.run(q, [d.contactId, d.status, JSON.stringify(d.failReasons), d.startedAt]);
    },
    async byContact(contactId) {
      const r = await s.byContact.one(q, [contactId]);
      return r && toDeletion(r);
    },
    async forContacts(contactIds) {
      return (await s.forContacts.all(q, [contactIds])).map(toDeletion);
    },
    async delete(contactId) {
      await s.delete.run(q, [contactId]);
    },
  };
}
