import type { Db } from '../db.js';
import { IN_LIST, listParam } from '../lists.js';
import type { ContactRecord } from '../../records.js';
import { toBinding, type BindingRow } from '../../rows/bindings.js';
import { toContact as toRecord, type ContactRow as Row } from '../../rows/contacts.js';
import { toDirectory, type DirectoryRow } from '../../rows/directories.js';
import type { ContactRepo } from '../../store.js';

const toRow = (c: ContactRecord) => ({
  id: c.id,
  directoryId: c.directoryId,
  name: c.name,
  title: c.title,
  messageTypes: JSON.stringify(c.messageTypes),
  emailEffective: c.emailEffective,
  emailPending: c.emailPending,
  phoneEffective: c.phoneEffective,
  phonePending: c.phonePending,
  deleting: c.deleting ? 1 : 0,
  createTime: c.createTime,
});

export function contactRepo(db: Db): ContactRepo {
  const insert = db.prepare(
    `INSERT INTO contacts (id, directory_id, name, title, message_types, email_effective, email_pending, phone_effective,
       phone_pending, deleting, create_time)
     VALUES (@id, @directoryId, @name, @title, @messageTypes, @emailEffective, @emailPending, @phoneEffective,
       @phonePending, @deleting, @createTime)`,
  );
  const update = db.prepare(
    `UPDATE contacts SET name = @name, title = @title, message_types = @messageTypes, email_effective = @emailEffective,
       email_pending = @emailPending, phone_effective = @phoneEffective, phone_pending = @phonePending, deleting = @deleting
     WHERE id = @id AND directory_id = @directoryId`,
  );
  const byId = db.prepare('SELECT * FROM contacts WHERE directory_id = ? AND id = ?');
  // In-process reads cost no round trip: three statements under the connection's one lock.
  const shownDirectory = db.prepare('SELECT * FROM directories WHERE master_account_id = ?');
  const shownBindings = db.prepare('SELECT * FROM contact_bindings WHERE contact_id = ? ORDER BY seq');
  const byName = db.prepare('SELECT * FROM contacts WHERE directory_id = ? AND name = ?');
  const count = db.prepare('SELECT count(*) AS n FROM contacts WHERE directory_id = ?');
  const list = db.prepare('SELECT * FROM contacts WHERE directory_id = ? ORDER BY create_time, rowid LIMIT ? OFFSET ?');
  const countIn = db.prepare(`SELECT count(*) AS n FROM contacts WHERE directory_id = ? AND id IN (${IN_LIST})`);
  const listIn = db.prepare(`SELECT * FROM contacts WHERE directory_id = ? AND id IN (${IN_LIST}) ORDER BY create_time, rowid LIMIT ? OFFSET ?`);
  const pending = db.prepare(
    `SELECT * FROM contacts WHERE directory_id = ? AND (? IS NULL OR id = ?)
       AND (email_pending IS NOT NULL OR phone_pending IS NOT NULL) ORDER BY create_time, rowid`,
  );
  const del = db.prepare('DELETE FROM contacts WHERE directory_id = ? AND id = ?');
  const all = db.prepare('SELECT * FROM contacts WHERE directory_id = ? ORDER BY create_time, rowid');
  return {
    async insert(c) {
      insert.run(toRow(c));
    },
    async update(c) {
      update.run(toRow(c));
    },
    async shownTo(masterAccountId, contactId) {
      const d = shownDirectory.get(masterAccountId) as DirectoryRow | undefined;
      const c = d && (byId.get(d.id, contactId) as Row | undefined);
      return {
        directory: d ? toDirectory(d) : null,
        contact: c ? toRecord(c) : null,
        bindings: c ? (shownBindings.all(c.id) as BindingRow[]).map(toBinding) : [],
      };
    },
    async byId(directoryId, id) {
      const r = byId.get(directoryId, id) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async byName(directoryId, name) {
      const r = byName.get(directoryId, name) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    async count(directoryId) {
      return (count.get(directoryId) as { n: number }).n;
    },
    async list(directoryId, ids, page) {
      if (ids === null) {
        const total = (count.get(directoryId) as { n: number }).n;
        return { total, items: (list.all(directoryId, page.limit, page.offset) as Row[]).map(toRecord) };
      }
      if (ids.length === 0) return { total: 0, items: [] };
      const total = (countIn.get(directoryId, listParam(ids)) as { n: number }).n;
      const rows = listIn.all(directoryId, listParam(ids), page.limit, page.offset) as Row[];
      return { total, items: rows.map(toRecord) };
    },
    async withPendingTargets(directoryId, contactId) {
      return (pending.all(directoryId, contactId, contactId) as Row[]).map(toRecord);
    },
    async all(directoryId) {
      return (all.all(directoryId) as Row[]).map(toRecord);
    },
    async delete(directoryId, id) {
      del.run(directoryId, id);
    },
  };
}
