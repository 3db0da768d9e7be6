import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { popCore, openApiCore, type Call } from '../helpers/clients.js';
import { addContact, ERR, getContact, plain, rejects, uniqueName, verifyPending } from '../helpers/contacts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Pending and effective email and phone (docs/reference/model.md section 2): Get and List show the latest
 * requested value, ListMessageContactVerifications lists what waits, CancelMessageContactUpdate
 * rolls back to the effective value. Targets are verified through their links (`verifyPending`).
 */
let server: TestServer;
let v1: Call;
let v3: Call;
before(async () => {
  server = await startTestServer();
  v1 = plain(popCore(server.url));
  v3 = plain(openApiCore(server.url));
});
after(() => server.stop());

const targetsOf = async (call: Call, contactId: string) =>
  (await call('ListMessageContactVerifications', { ContactId: contactId })).ContactVerifications.map((v: { Target: string }) => v.Target);

/** A contact whose email and phone have been verified: Active, nothing pending. */
async function activeContact(email: string, phone: string): Promise<string> {
  const id = await addContact(v3, { EmailAddress: email, PhoneNumber: phone });
  await verifyPending(v3, server.url, id);
  assert.equal((await getContact(v3, id)).Status, 'Active');
  return id;
}

test('a changed email shows at once, waits for verification, and cancelling rolls it back', async () => {
  const id = await activeContact('old@example.com', '86-13900000001');
  await v1('UpdateMessageContact', { ContactId: id, EmailAddress: 'new@example.com' });
  const pending = await getContact(v1, id);
  assert.deepEqual([pending.EmailAddress, pending.PhoneNumber, pending.Status], ['new@example.com', '86-13900000001', 'Verifying']);
  const listed = (await v3('ListMessageContacts', { ContactId: id })).Contacts[0];
  assert.deepEqual([listed.EmailAddress, listed.Status], ['new@example.com', 'Verifying']);
  assert.deepEqual(await targetsOf(v3, id), ['new@example.com']);

  await v3('CancelMessageContactUpdate', { ContactId: id, EmailAddress: 'new@example.com' });
  const rolledBack = await getContact(v1, id);
  assert.deepEqual([rolledBack.EmailAddress, rolledBack.Status], ['old@example.com', 'Active']);
  assert.deepEqual(await targetsOf(v3, id), []);
});

test('a changed phone rolls back to the verified phone', async () => {
  const id = await activeContact('phone@example.com', '86-13900000002');
  await v3('UpdateMessageContact', { ContactId: id, PhoneNumber: '86-13700000002' });
  assert.equal((await getContact(v3, id)).PhoneNumber, '86-13700000002');
  assert.deepEqual(await targetsOf(v1, id), ['86-13700000002']);
  await v1('CancelMessageContactUpdate', { ContactId: id, PhoneNumber: '86-13700000002' });
  const back = await getContact(v3, id);
  assert.deepEqual([back.PhoneNumber, back.Status], ['86-13900000002', 'Active']);
});

test('cancel with neither EmailAddress nor PhoneNumber cancels every pending target', async () => {
  const id = await activeContact('both@example.com', '86-13900000003');
  await v3('UpdateMessageContact', { ContactId: id, EmailAddress: 'both2@example.com', PhoneNumber: '86-13700000003' });
  assert.deepEqual(await targetsOf(v3, id), ['both2@example.com', '86-13700000003']);
  await v1('CancelMessageContactUpdate', { ContactId: id });
  const back = await getContact(v3, id);
  assert.deepEqual([back.EmailAddress, back.PhoneNumber, back.Status], ['both@example.com', '86-13900000003', 'Active']);
  assert.deepEqual(await targetsOf(v3, id), []);
});

test('cancel refuses when nothing is pending, the target is not the pending one, or there is nothing to roll back to', async () => {
  const active = await activeContact('still@example.com', '86-13900000004');
  await rejects(v3('CancelMessageContactUpdate', { ContactId: active }), ERR.statusMismatch, 'nothing pending');
  await rejects(v3('CancelMessageContactUpdate', { ContactId: active, EmailAddress: 'still@example.com' }), ERR.statusMismatch, 'effective, not pending');
  await rejects(v3('CancelMessageContactUpdate', { ContactId: active, PhoneNumber: '86-13900000004' }), ERR.statusMismatch, 'phone not pending');

  await v3('UpdateMessageContact', { ContactId: active, EmailAddress: 'next@example.com' });
  await rejects(v3('CancelMessageContactUpdate', { ContactId: active, EmailAddress: 'other@example.com' }), ERR.statusMismatch, 'another address');

  // A first, never-verified email has no effective value to fall back to.
  const fresh = await addContact(v3, { EmailAddress: 'first@example.com' });
  await rejects(v3('CancelMessageContactUpdate', { ContactId: fresh, EmailAddress: 'first@example.com' }), ERR.statusMismatch, 'first email');
  await rejects(v3('CancelMessageContactUpdate', { ContactId: fresh }), ERR.statusMismatch, 'first email, neither named');
  // Nothing changed by the refusals.
  assert.deepEqual(await targetsOf(v3, fresh), ['first@example.com']);
  assert.deepEqual(await targetsOf(v3, active), ['next@example.com']);
});

test('re-sending the current name, email and phone is not a change', async () => {
  const name = uniqueName('same');
  const id = await addContact(v1, { Name: name, EmailAddress: 'same@example.com', PhoneNumber: '86-13900000005' });
  // As Terraform does on every update: the whole desired state again.
  await v1('UpdateMessageContact', { ContactId: id, Name: name, EmailAddress: 'same@example.com', PhoneNumber: '86-13900000005', Title: 'TechnicalDirector', MessageTypes: ['AccountExpenses'] });
  assert.deepEqual(await targetsOf(v1, id), ['same@example.com', '86-13900000005']);

  await verifyPending(v3, server.url, id);
  await v3('UpdateMessageContact', { ContactId: id, Name: name, EmailAddress: 'same@example.com', PhoneNumber: '86-13900000005' });
  const after = await getContact(v3, id);
  assert.deepEqual([after.Name, after.Status], [name, 'Active']);
  assert.deepEqual(await targetsOf(v3, id), []);
});

test('asking for the verified email again drops the pending change', async () => {
  const id = await activeContact('keep@example.com', '86-13900000006');
  await v3('UpdateMessageContact', { ContactId: id, EmailAddress: 'maybe@example.com' });
  await v3('UpdateMessageContact', { ContactId: id, EmailAddress: 'keep@example.com' });
  const back = await getContact(v3, id);
  assert.deepEqual([back.EmailAddress, back.Status], ['keep@example.com', 'Active']);
  assert.deepEqual(await targetsOf(v3, id), []);
});

test('a second change replaces the pending target instead of adding one', async () => {
  const id = await addContact(v3, { EmailAddress: 'one@example.com' });
  await v3('UpdateMessageContact', { ContactId: id, EmailAddress: 'two@example.com' });
  assert.deepEqual(await targetsOf(v3, id), ['two@example.com']);
  assert.equal((await getContact(v3, id)).EmailAddress, 'two@example.com');
});

test('ListMessageContactVerifications without ContactId lists the whole directory, paged', async (t) => {
  // A directory of its own, so the list is exactly what this test made.
  const own = await startTestServer();
  t.after(() => own.stop());
  const call = plain(openApiCore(own.url));
  const a = await addContact(call, { EmailAddress: 'a@example.com', PhoneNumber: '86-13900000007' });
  const b = await addContact(call, { EmailAddress: 'b@example.com' });
  const c = await addContact(call, { EmailAddress: 'c@example.com' });
  await verifyPending(call, own.url, c);
  const all = await call('ListMessageContactVerifications', {});
  assert.deepEqual(
    { TotalCount: all.TotalCount, PageNumber: all.PageNumber, PageSize: all.PageSize, Items: all.ContactVerifications },
    {
      TotalCount: 3,
      PageNumber: 1,
      PageSize: 10,
      Items: [
        { ContactId: a, Target: 'a@example.com' },
        { ContactId: a, Target: '86-13900000007' },
        { ContactId: b, Target: 'b@example.com' },
      ],
    },
  );
  const page = await plain(popCore(own.url))('ListMessageContactVerifications', { PageSize: 2, PageNumber: 2 });
  assert.deepEqual([page.TotalCount, page.PageNumber, page.PageSize, page.ContactVerifications], [3, 2, 2, [{ ContactId: b, Target: 'b@example.com' }]]);
  assert.deepEqual((await call('ListMessageContactVerifications', { ContactId: c })).ContactVerifications, []);
});

test('Name, Title and MessageTypes change at once and keep the contact Active', async () => {
  const id = await activeContact('fields@example.com', '86-13900000008');
  const name = uniqueName('fields');
  await v1('UpdateMessageContact', { ContactId: id, Name: name, Title: 'ProjectDirector', MessageTypes: ['ProductMessage', 'FaultMessage'] });
  const got = await getContact(v1, id);
  assert.deepEqual([got.Name, got.Title, got.MessageTypes, got.Status], [name, 'ProjectDirector', ['ProductMessage', 'FaultMessage'], 'Active']);
});
