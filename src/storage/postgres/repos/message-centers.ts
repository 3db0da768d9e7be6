import { entryColumns, toEntry, toOwnerTypes, type MessageCenterRow } from '../../rows/message-centers.js';
import type { MessageCenterRepo } from '../../store.js';
import { sql, type Queryable } from '../sql.js';

type OwnerRow = { account_id: string; message_types: string };

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  ownerTypesFor: sql<OwnerRow>('SELECT account_id, message_types FROM message_center_owners WHERE account_id = ANY($1::text[])'),
  setOwner: sql(
    `INSERT INTO message_center_owners (account_id, message_types) VALUES ($1, $2)
     ON CONFLICT (account_id) DO UPDATE SET message_types = excluded.message_types`,
  ),
  forAccounts: sql<MessageCenterRow>('SELECT * FROM message_center_entries WHERE account_id = ANY($1::text[]) ORDER BY account_id, contact_id'),
  batchForContact: sql<MessageCenterRow>(
    'SELECT * FROM message_center_entries WHERE contact_id = $1 AND account_id > $2 ORDER BY account_id LIMIT $3',
  ),
  // One array per column: the statement is the same for one entry or a whole batch.
  upsertMany: sql(
    `INSERT INTO message_center_entries (account_id, contact_id, source, via, retained_name, retained_email, retained_phone,
       retained_message_types)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (account_id, contact_id) DO UPDATE SET source = excluded.source, via = excluded.via,
       retained_name = excluded.retained_name, retained_email = excluded.retained_email,
       retained_phone = excluded.retained_phone, retained_message_types = excluded.retained_message_types`,
  ),
  deleteEntries: sql('DELETE FROM message_center_entries WHERE account_id = $1'),
  deleteOwner: sql('DELETE FROM message_center_owners WHERE account_id = $1'),
  deleteMany: sql(
    `DELETE FROM message_center_entries m USING unnest($1::text[], $2::text[]) AS k(account_id, contact_id)
     WHERE m.account_id = k.account_id AND m.contact_id = k.contact_id`,
  ),
  retain: sql(
    `UPDATE message_center_entries SET source = 'Retained', via = '[]', retained_name = $2, retained_email = $3,
       retained_phone = $4, retained_message_types = $5 WHERE contact_id = $1 AND source = 'Inherited'`,
  ),
};

const s = statements;

export function messageCenterRepo(q: Queryable): MessageCenterRepo {
  const ownerTypesFor = async (accountIds: string[]) =>
    new Map((await s.ownerTypesFor.all(q, [accountIds])).map((r) => [r.account_id, toOwnerTypes(r.message_types)]));
  const forAccounts = async (accountIds: string[]) => (await s.forAccounts.all(q, [accountIds])).map(toEntry);
  return {
    ownerTypesFor,
    async ownerTypes(accountId) {
      return (await ownerTypesFor([accountId])).get(accountId) ?? null;
    },
    async setOwnerTypes(accountId, types) {
      await s.setOwner.run(q, [accountId, JSON.stringify(types)]);
    },
    forAccounts,
    forAccount: (accountId) => forAccounts([accountId]),
    async batchForContact(contactId, afterAccountId, limit) {
      return (await s.batchForContact.all(q, [contactId, afterAccountId, limit])).map(toEntry);
    },
    async upsertMany(entries) {
      if (entries.length === 0) return;
      const c = entries.map(entryColumns);
      const column = <K extends keyof (typeof c)[number]>(k: K) => c.map((e) => e[k]);
      const values = [column('accountId'), column('contactId'), column('source'), column('via')];
      await s.upsertMany.run(q, [...values, column('name'), column('email'), column('phone'), column('messageTypes')]);
    },
    async deleteMany(keys) {
      if (keys.length > 0) await s.deleteMany.run(q, [keys.map((k) => k.accountId), keys.map((k) => k.contactId)]);
    },
    async retainContact(contactId, r) {
      return s.retain.run(q, [contactId, r.name, r.email, r.phone, JSON.stringify(r.messageTypes)]);
    },
    async deleteForAccount(accountId) {
      await s.deleteEntries.run(q, [accountId]);
      await s.deleteOwner.run(q, [accountId]);
    },
  };
}
