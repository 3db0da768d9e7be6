import { prepareAll, type Db } from '../db.js';
import { IN_LIST, listParam } from '../lists.js';
import { entryColumns, toEntry, toOwnerTypes, type MessageCenterRow as Row } from '../../rows/message-centers.js';
import type { MessageCenterRepo } from '../../store.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  ownerTypesFor: `SELECT account_id, message_types FROM message_center_owners WHERE account_id IN (${IN_LIST})`,
  setOwner: `INSERT INTO message_center_owners (account_id, message_types) VALUES (?, ?)
    ON CONFLICT (account_id) DO UPDATE SET message_types = excluded.message_types`,
  forAccounts: `SELECT * FROM message_center_entries WHERE account_id IN (${IN_LIST}) ORDER BY account_id, contact_id`,
  batchForContact: 'SELECT * FROM message_center_entries WHERE contact_id = ? AND account_id > ? ORDER BY account_id LIMIT ?',
  // "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT, not to a join.
  upsertMany: `INSERT INTO message_center_entries (account_id, contact_id, source, via, retained_name, retained_email,
      retained_phone, retained_message_types)
    SELECT value->>'accountId', value->>'contactId', value->>'source', value->>'via', value->>'name', value->>'email',
      value->>'phone', value->>'messageTypes' FROM json_each(?) WHERE true
    ON CONFLICT (account_id, contact_id) DO UPDATE SET source = excluded.source, via = excluded.via,
      retained_name = excluded.retained_name, retained_email = excluded.retained_email,
      retained_phone = excluded.retained_phone, retained_message_types = excluded.retained_message_types`,
  deleteMany: `DELETE FROM message_center_entries
    WHERE (account_id, contact_id) IN (SELECT value->>'accountId', value->>'contactId' FROM json_each(?))`,
  retain: `UPDATE message_center_entries SET source = 'Retained', via = '[]', retained_name = ?, retained_email = ?,
      retained_phone = ?, retained_message_types = ? WHERE contact_id = ? AND source = 'Inherited'`,
};

export function messageCenterRepo(db: Db): MessageCenterRepo {
  const delEntries = db.prepare('DELETE FROM message_center_entries WHERE account_id = ?');
  const delOwner = db.prepare('DELETE FROM message_center_owners WHERE account_id = ?');
  const p = prepareAll(db, statements);
  const ownerTypesFor = async (accountIds: string[]) => {
    const rows = p.ownerTypesFor.all(listParam(accountIds)) as Array<{ account_id: string; message_types: string }>;
    return new Map(rows.map((r) => [r.account_id, toOwnerTypes(r.message_types)]));
  };
  const forAccounts = async (accountIds: string[]) => (p.forAccounts.all(listParam(accountIds)) as Row[]).map(toEntry);
  return {
    ownerTypesFor,
    async ownerTypes(accountId) {
      return (await ownerTypesFor([accountId])).get(accountId) ?? null;
    },
    async setOwnerTypes(accountId, types) {
      p.setOwner.run(accountId, JSON.stringify(types));
    },
    forAccounts,
    forAccount: (accountId) => forAccounts([accountId]),
    async batchForContact(contactId, afterAccountId, limit) {
      return (p.batchForContact.all(contactId, afterAccountId, limit) as Row[]).map(toEntry);
    },
    async upsertMany(entries) {
      if (entries.length > 0) p.upsertMany.run(listParam(entries.map(entryColumns)));
    },
    async deleteMany(keys) {
      if (keys.length > 0) p.deleteMany.run(listParam(keys.map(({ accountId, contactId }) => ({ accountId, contactId }))));
    },
    async retainContact(contactId, s) {
      return p.retain.run(s.name, s.email, s.phone, JSON.stringify(s.messageTypes), contactId).changes;
    },
    async deleteForAccount(accountId) {
      delEntries.run(accountId);
      delOwner.run(accountId);
    },
  };
}
