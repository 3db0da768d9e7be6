import type { Db } from '../db.js';
import { listParam } from '../lists.js';
import { toDeletion, type DeletionRow as Row } from '../../rows/deletions.js';
import type { DeletionRepo } from '../../store.js';

export function deletionRepo(db: Db): DeletionRepo {
  const upsert = db.prepare(
    `INSERT INTO contact_deletions (contact_id, status, fail_reasons, started_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (contact_id) DO UPDATE SET status = excluded.status, fail_reasons = excluded.fail_reasons,
       started_at = excluded.started_at`,
  );
  const byContact = db.prepare('SELECT * FROM contact_deletions WHERE contact_id = ?');
  const forContacts = db.prepare('SELECT * FROM contact_deletions WHERE contact_id IN (SELECT value FROM json_each(?))');
  const del = db.prepare('DELETE FROM contact_deletions WHERE contact_id = ?');
  return {
    async upsert(d) {
      upsert.run(d.contactId, d.status, JSON.stringify(d.failReasons), d.startedAt);
    },
    async byContact(contactId) {
      const r = byContact.get(contactId) as Row | undefined;
      return r ? toDeletion(r) : null;
    },
    async forContacts(contactIds) {
      return (forContacts.all(listParam(contactIds)) as Row[]).map(toDeletion);
    },
    async delete(contactId) {
      del.run(contactId);
    },
  };
}
