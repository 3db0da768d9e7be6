import type { Executor } from '../executor.js';
import { entryColumns, toEntry, toOwnerTypes, type MessageCenterRow } from '../rows/message-centers.js';
import { statement, type NoRow } from '../statement.js';
import type { MessageCenterRepo } from '../store.js';

type Accounts = { accountIds: readonly string[] };
/** An owner's subscriptions as stored. */
type OwnerRow = { account_id: string; message_types: string };

/** The fields of entryColumns, in the order of the table's columns. */
const ENTRY = ['accountId', 'contactId', 'source', 'via', 'name', 'email', 'phone', 'messageTypes'] as const satisfies ReadonlyArray<
  keyof ReturnType<typeof entryColumns>
>;

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  ownerTypesFor: statement<OwnerRow, Accounts>(
    (d) => `SELECT account_id, message_types FROM message_center_owners WHERE ${d.in('account_id', 'accountIds')}`,
  ),
  setOwner: statement<NoRow, { accountId: string; messageTypes: string }>(
    `INSERT INTO message_center_owners (account_id, message_types) VALUES (:accountId, :messageTypes)
     ON CONFLICT (account_id) DO UPDATE SET message_types = excluded.message_types`,
  ),
  forAccounts: statement<MessageCenterRow, Accounts>(
    (d) => `SELECT * FROM message_center_entries WHERE ${d.in('account_id', 'accountIds')} ORDER BY account_id, contact_id`,
  ),
  batchForContact: statement<MessageCenterRow, { contactId: string; afterAccountId: string; limit: number }>(
    'SELECT * FROM message_center_entries WHERE contact_id = :contactId AND account_id > :afterAccountId ORDER BY account_id LIMIT :limit',
  ),
  // The batch as one JSON parameter (entryColumns): the statement is the same for one entry or
  // a fan-out's whole batch. "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the
  // INSERT, not to a join.
  upsertMany: statement<NoRow, { entries: string }>(
    (d) => `INSERT INTO message_center_entries (account_id, contact_id, source, via, retained_name, retained_email,
       retained_phone, retained_message_types)
     SELECT ${ENTRY.map((f) => `e."${f}"`).join(', ')} FROM ${d.records('entries', 'e', ENTRY)} WHERE true
     ON CONFLICT (account_id, contact_id) DO UPDATE SET source = excluded.source, via = excluded.via,
       retained_name = excluded.retained_name, retained_email = excluded.retained_email,
       retained_phone = excluded.retained_phone, retained_message_types = excluded.retained_message_types`,
  ),
  deleteMany: statement<NoRow, { keys: string }>(
    (d) => `DELETE FROM message_center_entries
     WHERE (account_id, contact_id) IN (SELECT k."accountId", k."contactId" FROM ${d.records('keys', 'k', ['accountId', 'contactId'])})`,
  ),
  retain: statement<NoRow, { contactId: string; name: string; email: string; phone: string; messageTypes: string }>(
    `UPDATE message_center_entries SET source = 'Retained', via = '[]', retained_name = :name, retained_email = :email,
       retained_phone = :phone, retained_message_types = :messageTypes WHERE contact_id = :contactId AND source = 'Inherited'`,
  ),
  deleteEntries: statement<NoRow, { accountId: string }>('DELETE FROM message_center_entries WHERE account_id = :accountId'),
  deleteOwner: statement<NoRow, { accountId: string }>('DELETE FROM message_center_owners WHERE account_id = :accountId'),
};
const s = statements;

export function messageCenterRepo(x: Executor): MessageCenterRepo {
  const ownerTypesFor = async (accountIds: string[]) =>
    new Map((await x.all(s.ownerTypesFor, { accountIds })).map((r) => [r.account_id, toOwnerTypes(r.message_types)]));
  const forAccounts = async (accountIds: string[]) => (await x.all(s.forAccounts, { accountIds })).map(toEntry);
  return {
    ownerTypesFor,
    async ownerTypes(accountId) {
      return (await ownerTypesFor([accountId])).get(accountId) ?? null;
    },
    async setOwnerTypes(accountId, types) {
      await x.run(s.setOwner, { accountId, messageTypes: JSON.stringify(types) });
    },
    forAccounts,
    forAccount: (accountId) => forAccounts([accountId]),
    async batchForContact(contactId, afterAccountId, limit) {
      return (await x.all(s.batchForContact, { contactId, afterAccountId, limit })).map(toEntry);
    },
    async upsertMany(entries) {
      if (entries.length > 0) await x.run(s.upsertMany, { entries: JSON.stringify(entries.map(entryColumns)) });
    },
    async deleteMany(keys) {
      if (keys.length > 0) await x.run(s.deleteMany, { keys: JSON.stringify(keys.map(({ accountId, contactId }) => ({ accountId, contactId }))) });
    },
    async retainContact(contactId, r) {
      return x.run(s.retain, { contactId, name: r.name, email: r.email, phone: r.phone, messageTypes: JSON.stringify(r.messageTypes) });
    },
    async deleteForAccount(accountId) {
      await x.run(s.deleteEntries, { accountId });
      await x.run(s.deleteOwner, { accountId });
    },
  };
}
