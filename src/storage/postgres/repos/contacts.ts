import type { ContactRecord } from '../../records.js';
import { toBinding, type BindingRow } from '../../rows/bindings.js';
import { toContact, type ContactRow } from '../../rows/contacts.js';
import { toDirectory, type DirectoryRow } from '../../rows/directories.js';
import type { ContactRepo } from '../../store.js';
import { sql, type Count, type Queryable } from '../sql.js';

// Creation order; `seq` tells apart contacts created in the same millisecond.
const ORDER = 'ORDER BY create_time, seq';

const s = {
  insert: sql(
    `INSERT INTO contacts (id, directory_id, name, title, message_types, email_effective, email_pending, phone_effective,
       phone_pending, deleting, create_time)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  ),
  update: sql(
    `UPDATE contacts SET name = $3, title = $4, message_types = $5, email_effective = $6, email_pending = $7,
       phone_effective = $8, phone_pending = $9, deleting = $10
     WHERE id = $1 AND directory_id = $2`,
  ),
  byId: sql<ContactRow>('SELECT * FROM contacts WHERE directory_id = $1 AND id = $2'),
  shownTo: sql<{ directory: DirectoryRow; contact: ContactRow | null; bindings: BindingRow[] }>(
    `SELECT row_to_json(d) AS directory, row_to_json(c) AS contact,
       coalesce((SELECT json_agg(b ORDER BY b.seq) FROM contact_bindings b WHERE b.contact_id = c.id), '[]') AS bindings
     FROM directories d LEFT JOIN contacts c ON c.directory_id = d.id AND c.id = $2
     WHERE d.master_account_id = $1`,
  ),
  byName: sql<ContactRow>('SELECT * FROM contacts WHERE directory_id = $1 AND name = $2'),
  count: sql<Count>('SELECT count(*) AS n FROM contacts WHERE directory_id = $1'),
  list: sql<ContactRow>(`SELECT * FROM contacts WHERE directory_id = $1 ${ORDER} LIMIT $2 OFFSET $3`),
  countIn: sql<Count>('SELECT count(*) AS n FROM contacts WHERE directory_id = $1 AND id = ANY($2::text[])'),
  listIn: sql<ContactRow>(`SELECT * FROM contacts WHERE directory_id = $1 AND id = ANY($2::text[]) ${ORDER} LIMIT $3 OFFSET $4`),
  pending: sql<ContactRow>(
    `SELECT * FROM contacts WHERE directory_id = $1 AND ($2::text IS NULL OR id = $2)
       AND (email_pending IS NOT NULL OR phone_pending IS NOT NULL) ${ORDER}`,
  ),
  delete: sql('DELETE FROM contacts WHERE directory_id = $1 AND id = $2'),
  all: sql<ContactRow>(`SELECT * FROM contacts WHERE directory_id = $1 ${ORDER}`),
};

const columns = (c: ContactRecord) => [
  c.id, c.directoryId, c.name, c.title, JSON.stringify(c.messageTypes), c.emailEffective, c.emailPending,
  c.phoneEffective, c.phonePending, c.deleting, c.createTime,
];

export function contactRepo(q: Queryable): ContactRepo {
  return {
    async insert(c) {
      await s.insert.run(q, columns(c));
    },
    async update(c) {
      // Every column but the creation time, which never changes.
      await s.update.run(q, columns(c).slice(0, 10));
    },
    async shownTo(masterAccountId, contactId) {
      const r = await s.shownTo.one(q, [masterAccountId, contactId]);
      return {
        directory: r && toDirectory(r.directory),
        contact: r?.contact ? toContact(r.contact) : null,
        bindings: (r?.bindings ?? []).map(toBinding),
      };
    },
    async byId(directoryId, id) {
      const r = await s.byId.one(q, [directoryId, id]);
      return r && toContact(r);
    },
    async byName(directoryId, name) {
      const r = await s.byName.one(q, [directoryId, name]);
      return r && toContact(r);
    },
    async count(directoryId) {
      return (await s.count.one(q, [directoryId]))!.n;
    },
    async list(directoryId, ids, page) {
      if (ids === null) {
        const total = (await s.count.one(q, [directoryId]))!.n;
        return { total, items: (await s.list.all(q, [directoryId, page.limit, page.offset])).map(toContact) };
      }
      const total = (await s.countIn.one(q, [directoryId, ids]))!.n;
      return { total, items: (await s.listIn.all(q, [directoryId, ids, page.limit, page.offset])).map(toContact) };
    },
    async withPendingTargets(directoryId, contactId) {
      return (await s.pending.all(q, [directoryId, contactId])).map(toContact);
    },
    async all(directoryId) {
      return (await s.all.all(q, [directoryId])).map(toContact);
    },
    async delete(directoryId, id) {
      await s.delete.run(q, [directoryId, id]);
    },
  };
}
