import type { Executor } from '../executor.js';
import type { ContactRecord } from '../records.js';
import { toBinding, type BindingRow } from '../rows/bindings.js';
import { toContact, type ContactRow } from '../rows/contacts.js';
import { toDirectory, type DirectoryRow } from '../rows/directories.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { ContactRepo, ContactShown } from '../store.js';

/** A contact's columns as parameters; the creation time apart, as an update never changes it. */
const changeable = (c: ContactRecord) => ({
  id: c.id,
  directoryId: c.directoryId,
  name: c.name,
  title: c.title,
  messageTypes: JSON.stringify(c.messageTypes),
  emailEffective: c.emailEffective,
  emailPending: c.emailPending,
  phoneEffective: c.phoneEffective,
  phonePending: c.phonePending,
  deleting: c.deleting,
});
type Changeable = ReturnType<typeof changeable>;
type ByDirectory = { directoryId: string };
type PageParams = { limit: number; offset: number };

const s = {
  insert: statement<NoRow, Changeable & { createTime: number }>(
    `INSERT INTO contacts (id, directory_id, name, title, message_types, email_effective, email_pending, phone_effective,
       phone_pending, deleting, create_time)
     VALUES (:id, :directoryId, :name, :title, :messageTypes, :emailEffective, :emailPending, :phoneEffective,
       :phonePending, :deleting, :createTime)`,
  ),
  update: statement<NoRow, Changeable>(
    `UPDATE contacts SET name = :name, title = :title, message_types = :messageTypes, email_effective = :emailEffective,
       email_pending = :emailPending, phone_effective = :phoneEffective, phone_pending = :phonePending, deleting = :deleting
     WHERE id = :id AND directory_id = :directoryId`,
  ),
  byId: statement<ContactRow, ByDirectory & { id: string }>('SELECT * FROM contacts WHERE directory_id = :directoryId AND id = :id'),
  byName: statement<ContactRow, ByDirectory & { name: string }>('SELECT * FROM contacts WHERE directory_id = :directoryId AND name = :name'),
  count: statement<Count, ByDirectory>('SELECT count(*) AS n FROM contacts WHERE directory_id = :directoryId'),
  // Creation order; the dialect's order column tells apart contacts created in the same millisecond.
  list: statement<ContactRow, ByDirectory & PageParams>(
    (d) => `SELECT * FROM contacts WHERE directory_id = :directoryId ORDER BY create_time, ${d.order} LIMIT :limit OFFSET :offset`,
  ),
  countIn: statement<Count, ByDirectory & { ids: readonly string[] }>(
    (d) => `SELECT count(*) AS n FROM contacts WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}`,
  ),
  listIn: statement<ContactRow, ByDirectory & PageParams & { ids: readonly string[] }>(
    (d) => `SELECT * FROM contacts WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}
      ORDER BY create_time, ${d.order} LIMIT :limit OFFSET :offset`,
  ),
  // `id = :contactId` comes first: it tells PostgreSQL the parameter's type, which `IS NULL` alone cannot.
  pending: statement<ContactRow, ByDirectory & { contactId: string | null }>(
    (d) => `SELECT * FROM contacts WHERE directory_id = :directoryId AND (id = :contactId OR :contactId IS NULL)
       AND (email_pending IS NOT NULL OR phone_pending IS NOT NULL) ORDER BY create_time, ${d.order}`,
  ),
  delete: statement<NoRow, ByDirectory & { id: string }>('DELETE FROM contacts WHERE directory_id = :directoryId AND id = :id'),
  all: statement<ContactRow, ByDirectory>((d) => `SELECT * FROM contacts WHERE directory_id = :directoryId ORDER BY create_time, ${d.order}`),

  // shownTo in three in-process reads (SQLite).
  directoryOf: statement<DirectoryRow, { masterAccountId: string }>('SELECT * FROM directories WHERE master_account_id = :masterAccountId'),
  bindingsOf: statement<BindingRow, { contactId: string }>('SELECT * FROM contact_bindings WHERE contact_id = :contactId ORDER BY seq'),
  // shownTo in one round trip (PostgreSQL): JSON aggregation has no common form in the two dialects.
  shown: statement<{ directory: DirectoryRow; contact: ContactRow | null; bindings: BindingRow[] }, { masterAccountId: string; contactId: string }>({
    postgres: `SELECT row_to_json(d) AS directory, row_to_json(c) AS contact,
       coalesce((SELECT json_agg(b ORDER BY b.seq) FROM contact_bindings b WHERE b.contact_id = c.id), '[]') AS bindings
     FROM directories d LEFT JOIN contacts c ON c.directory_id = d.id AND c.id = :contactId
     WHERE d.master_account_id = :masterAccountId`,
  }),
};

/**
 * shownTo, the read of every contact request: PostgreSQL answers it in one statement, as each
 * statement costs a round trip; SQLite's reads are in-process calls, where three plain reads
 * cost less than building and parsing JSON.
 */
function shownTo(x: Executor): ContactRepo['shownTo'] {
  if (x.dialect === 'postgres')
    return async (masterAccountId, contactId) => {
      const r = await x.one(s.shown, { masterAccountId, contactId });
      return {
        directory: r && toDirectory(r.directory),
        contact: r?.contact ? toContact(r.contact) : null,
        bindings: (r?.bindings ?? []).map(toBinding),
      };
    };
  return async (masterAccountId, contactId): Promise<ContactShown> => {
    const d = await x.one(s.directoryOf, { masterAccountId });
    const c = d && (await x.one(s.byId, { directoryId: d.id, id: contactId }));
    return {
      directory: d && toDirectory(d),
      contact: c && toContact(c),
      bindings: c ? (await x.all(s.bindingsOf, { contactId: c.id })).map(toBinding) : [],
    };
  };
}

export function contactRepo(x: Executor): ContactRepo {
  return {
    async insert(c) {
      await x.run(s.insert, { ...changeable(c), createTime: c.createTime });
    },
    async update(c) {
      await x.run(s.update, changeable(c));
    },
    shownTo: shownTo(x),
    async byId(directoryId, id) {
      const r = await x.one(s.byId, { directoryId, id });
      return r && toContact(r);
    },
    async byName(directoryId, name) {
      const r = await x.one(s.byName, { directoryId, name });
      return r && toContact(r);
    },
    async count(directoryId) {
      return (await x.one(s.count, { directoryId }))!.n;
    },
    async list(directoryId, ids, page) {
      const { limit, offset } = page;
      if (ids === null) {
        const total = (await x.one(s.count, { directoryId }))!.n;
        return { total, items: (await x.all(s.list, { directoryId, limit, offset })).map(toContact) };
      }
      if (ids.length === 0) return { total: 0, items: [] };
      const total = (await x.one(s.countIn, { directoryId, ids }))!.n;
      return { total, items: (await x.all(s.listIn, { directoryId, ids, limit, offset })).map(toContact) };
    },
    async withPendingTargets(directoryId, contactId) {
      return (await x.all(s.pending, { directoryId, contactId })).map(toContact);
    },
    async all(directoryId) {
      return (await x.all(s.all, { directoryId })).map(toContact);
    },
    async delete(directoryId, id) {
      await x.run(s.delete, { directoryId, id });
    },
  };
}
