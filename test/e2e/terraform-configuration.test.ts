import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEYS, type TestServer } from '../helpers/server.js';
import { Provider } from '../helpers/terraform/provider.js';
import { create, destroy, type Managed, refresh, startReplay } from '../helpers/terraform/run.js';
import { RDM22, RM20 } from '../helpers/terraform/tea-rpc.js';

/**
 * One whole configuration, applied and destroyed as Terraform orders it: a directory that
 * allows member deletion, folders, accounts (one paying for another), a message contact
 * bound to a folder; then `terraform destroy`. `other` starts without a directory.
 */
let server: TestServer;
let tf: Provider;
before(async () => {
  ({ server, tf } = await startReplay(KEYS.other));
});
after(() => server.stop());

const contactsOf = async (accountId: string) =>
  (await server.services.messageCenters.read(accountId)).Contacts.map((c) => ({ id: c.ContactId, source: c.Source, via: c.Via }));

test('directory, folders, accounts and a contact bound to a folder: apply, a plan with no diff, destroy', async () => {
  // apply: resources in dependency order.
  const rd = await create(tf.resourceDirectory, { member_deletion_status: 'Enabled', status: 'Enabled' });
  const eng = await create(tf.folder, { folder_name: 'eng', tags: { Team: 'eng' } });
  const ops = await create(tf.folder, { folder_name: 'ops' });
  const team = await create(tf.folder, { folder_name: 'platform', parent_folder_id: eng.id });
  const lead = await create(tf.account, { display_name: 'platform lead', folder_id: team.id, tags: { Role: 'lead' }, force_delete: true });
  const oncall = await create(tf.account, { display_name: 'ops oncall', folder_id: ops.id, payer_account_id: lead.id, force_delete: true });
  const contact = await create(tf.messageContact, {
    email_address: 'platform@example.com',
    message_contact_name: 'platform',
    message_types: ['AccountExpenses', 'SecurityMessage'],
    title: 'TechnicalDirector',
  });
  assert.equal(eng.state.parent_folder_id, rd.state.root_folder_id);

  // The binding (no Terraform resource exists for it): the eng folder, and the on-call member directly.
  await tf.call(RDM22, 'AssociateMembers', { ContactId: contact.id, 'Members.1': eng.id, 'Members.2': oncall.id });
  assert.deepEqual(await contactsOf(lead.id), [{ id: contact.id, source: 'Inherited', via: [eng.id] }]);
  assert.deepEqual(await contactsOf(oncall.id), [{ id: contact.id, source: 'Inherited', via: [oncall.id] }]);

  // terraform plan: every resource refreshes to an empty diff.
  const all: Managed[] = [rd, eng, ops, team, lead, oncall, contact];
  for (const r of all) await refresh(r);
  const listed = await tf.accounts({ tags: { Role: 'lead' }, enable_details: true });
  assert.deepEqual(listed.ids, [lead.id]);

  // terraform destroy: dependents first. The paid account goes before its payer.
  // A destroy retried after the account went finds it gone (the retry runs without the pre-check's state).
  await destroy(oncall, { display_name: 'ops oncall' });
  // The member left by the rule of any member that leaves: its direct binding went with it.
  assert.deepEqual((await tf.call(RDM22, 'GetMessageContact', { ContactId: contact.id })).Contact.Members, [eng.id]);
  assert.equal((await tf.call(RM20, 'GetAccountDeletionStatus', { AccountId: oncall.id })).RdAccountDeletionStatus.Status, 'Success');
  await destroy(lead, { display_name: 'platform lead' });
  await assert.rejects(contactsOf(lead.id), (err: any) => err.code === 'EntityNotExists.Account');
  await destroy(contact);
  await destroy(team);
  await destroy(eng);
  await destroy(ops);
  await destroy(rd);
  await assert.rejects(tf.call(RM20, 'GetResourceDirectory'), (err: any) => err.statusCode === 404 && err.code === 'ResourceDirectoryNotInUse');
  // The management account is a tenant without a directory again, and may build a new one.
  const again = await create(tf.resourceDirectory, {});
  assert.notEqual(again.id, rd.id);
  await destroy(again);
});
