import type { Db } from '../db.js';
import { entryColumns, toEntry, toOwnerTypes, type MessageCenterRow as Row } from '../../rows/message-centers.js';
import type { MessageCenterRepo } from '../../store.js';

export function messageCenterRepo(db: Db): MessageCenterRepo {
  const ownerTypes = db.prepare('SELECT message_types FROM message_center_owners WHERE account_id = ?');
  const setOwner = db.prepare(
    `INSERT INTO message_center_owners (account_id, message_types) VALUES (?, ?)
     ON CONFLICT (account_id) DO UPDATE SET message_types = excluded.message_types`,
  );
  const forAccount = db.prepare('SELECT * FROM message_center_entries WHERE account_id = ? ORDER BY contact_id');
  const batchForContact = db.prepare(
    'SELECT * FROM message_center_entries WHERE contact_id = ? AND account_id > ? ORDER BY account_id LIMIT ?',
  );
  const upsert = db.prepare(
    `INSERT INTO message_center_entries (account_id, contact_id, source, via, retained_name, retained_email, retained_phone,
       retained_message_types) VALUES (@accountId, @contactId, @source, @via, @name, @email, @phone, @messageTypes)
     ON CONFLICT (account_id, contact_id) DO UPDATE SET source = excluded.source, via = excluded.via,
       retained_name = excluded.retained_name, retained_email = excluded.retained_email,
       retained_phone = excluded.retained_phone, retained_message_types = excluded.retained_message_types`,
  );
  const del = db.prepare('DELETE FROM message_center_entries WHERE account_id = ? AND contact_id = ?');
  const retain = db.prepare(
    `UPDATE message_center_entries SET source = 'Retained', via = '[]', retained_name = ?, retained_email = ?,
       retained_phone = ?, retained_message_types = ? WHERE contact_id = ? AND source = 'Inherited'`,
  );
  const delEntries = db.prepare('DELETE FROM message_center_entries WHERE account_id = ?');
  const delOwner = db.prepare('DELETE FROM message_center_owners WHERE account_id = ?');
  return {
    async ownerTypes(accountId) {
      const r = ownerTypes.get(accountId) as { message_types: string } | undefined;
      return r ? toOwnerTypes(r.message_types) : null;
    },
    async setOwnerTypes(accountId, types) {
      setOwner.run(accountId, JSON.stringify(types));
    },
    async ownerTypesFor(accountIds) {
      if (accountIds.length === 0) return new Map();
      const marks = accountIds.map(() => '?').join(',');
      const rows = db
        .prepare(`SELECT account_id, message_types FROM message_center_owners WHERE account_id IN (${marks})`)
        .all(...accountIds) as Array<{ account_id: string; message_types: string }>;
      return new Map(rows.map((r) => [r.account_id, toOwnerTypes(r.message_types)]));
    },
    async forAccount(accountId) {
      return (forAccount.all(accountId) as Row[]).map(toEntry);
    },
    async forAccounts(accountIds) {
      if (accountIds.length === 0) return [];
      const marks = accountIds.map(() => '?').join(',');
      const rows = db.prepare(`SELECT * FROM message_center_entries WHERE account_id IN (${marks})`).all(...accountIds);
      return (rows as Row[]).map(toEntry);
    },
    async batchForContact(contactId, afterAccountId, limit) {
      return (batchForContact.all(contactId, afterAccountId, limit) as Row[]).map(toEntry);
    },
    async upsert(e) {
      upsert.run(entryColumns(e));
    },
    async delete(accountId, contactId) {
      del.run(accountId, contactId);
    },
    async retainContact(contactId, s) {
      return retain.run(s.name, s.email, s.phone, JSON.stringify(s.messageTypes), contactId).changes;
    },
    async deleteForAccount(accountId) {
      delEntries.run(accountId);
      delOwner.run(accountId);
    },
  };
}
