import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { popCore, type Call } from '../helpers/clients.js';
import { ERR, plain, rejects } from '../helpers/contacts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { Provider } from '../helpers/terraform/provider.js';
import { lifecycle } from '../helpers/terraform/run.js';
import { teaRpc } from '../helpers/terraform/tea-rpc.js';

/**
 * Terraform's alicloud_resource_manager_message_contact acceptance sequence (docs/reference/api-notes.md
 * section 7), as its tea-rpc client sends it: v1-signed POSTs with every parameter in a form
 * body. Each step is followed by the read Terraform does, which must show the new values.
 */
let server: TestServer;
let tf: Call;
before(async () => {
  server = await startTestServer();
  tf = plain(popCore(server.url, undefined, 'POST'));
});
after(() => server.stop());

/** What the provider's Read keeps from GetMessageContact ($.Contact.*). */
async function read(contactId: string) {
  const c = (await tf('GetMessageContact', { ContactId: contactId })).Contact;
  return {
    name: c.Name,
    email_address: c.EmailAddress,
    phone_number: c.PhoneNumber,
    title: c.Title,
    message_types: c.MessageTypes,
    status: c.Status,
    create_date: c.CreateDate,
  };
}

test('create, two updates, import and destroy, as the acceptance test runs them', async () => {
  const name = 'tfacc';

  // 1. Create: PhoneNumber only because it is set; the ID comes from $.Contact.ContactId.
  const created = await tf('AddMessageContact', {
    EmailAddress: 'resourcetest@126.com',
    Name: name,
    Title: 'TechnicalDirector',
    MessageTypes: ['AccountExpenses'],
    PhoneNumber: '86-18626811111',
  });
  const id = created.Contact.ContactId as string;
  const afterCreate = await read(id);
  assert.deepEqual(afterCreate, {
    name,
    email_address: 'resourcetest@126.com',
    phone_number: '86-18626811111',
    title: 'TechnicalDirector',
    message_types: ['AccountExpenses'],
    status: 'Verifying',
    create_date: created.Contact.CreateDate,
  });

  // 2. Update everything; Name, EmailAddress, Title and MessageTypes are always sent.
  await tf('UpdateMessageContact', {
    ContactId: id,
    EmailAddress: 'resourcetestnew@126.com',
    Name: `${name}update`,
    Title: 'MaintenanceDirector',
    MessageTypes: ['ProductMessage', 'SecurityMessage', 'ActivityMessage'],
    PhoneNumber: '86-18626811112',
  });
  const afterUpdate = await read(id);
  assert.deepEqual(afterUpdate, {
    ...afterCreate,
    name: 'tfaccupdate',
    email_address: 'resourcetestnew@126.com',
    phone_number: '86-18626811112',
    title: 'MaintenanceDirector',
    message_types: ['ProductMessage', 'SecurityMessage', 'ActivityMessage'],
  });

  // 3. Only MessageTypes changes, but the unchanged Name, EmailAddress and Title go along (no phone).
  await tf('UpdateMessageContact', {
    ContactId: id,
    EmailAddress: 'resourcetestnew@126.com',
    Name: 'tfaccupdate',
    Title: 'MaintenanceDirector',
    MessageTypes: ['ServiceMessage'],
  });
  const afterSecond = await read(id);
  assert.deepEqual(afterSecond, { ...afterUpdate, message_types: ['ServiceMessage'] });
  // The re-sent email was not a new change: one email and one phone still wait.
  const pending = (await tf('ListMessageContactVerifications', { ContactId: id })).ContactVerifications;
  assert.deepEqual(pending.map((v: { Target: string }) => v.Target), ['resourcetestnew@126.com', '86-18626811112']);

  // 4. Import: reads are stable.
  assert.deepEqual(await read(id), afterSecond);

  // 5. Destroy: ContactId only (retain defaults to true), no polling; the check expects the 404.
  assert.equal((await tf('DeleteMessageContact', { ContactId: id })).Status, 'Deleted');
  await rejects(tf('GetMessageContact', { ContactId: id }), ERR.contactNotExists);
  // A retried destroy meets EntityNotExists.Contact, which the provider treats as done.
  await rejects(tf('DeleteMessageContact', { ContactId: id }), ERR.contactNotExists);
});

test('basic11390 through the provider model: create, three updates with empty plans, import, destroy twice', async () => {
  const provider = new Provider(teaRpc(server.url));
  const base = { email_address: 'resourcetest@126.com', message_contact_name: 'tfmod', title: 'TechnicalDirector', phone_number: '86-18626811111' };
  const updated = { phone_number: '86-18626811112', title: 'MaintenanceDirector', message_contact_name: 'tfmodupdate', email_address: 'resourcetestnew@126.com' };
  const r = await lifecycle(provider.messageContact, [
    { ...base, message_types: ['AccountExpenses'] },
    { ...updated, message_types: ['ProductMessage', 'SecurityMessage', 'ActivityMessage'] },
    { ...updated, message_types: ['ServiceMessage'] },
  ]);
  assert.equal(r.state.status, 'Verifying');
});
