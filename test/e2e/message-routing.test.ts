import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact, plain, verifyTarget } from '../helpers/contacts.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * POST /_rdmc/messages: a message for a member reaches exactly the contacts of its message
 * center that are subscribed to the type, at their verified addresses, and nobody else.
 */
const smtp = new SmtpInbox();
let server: TestServer;
let call: Call;
let admin: AdminClient;

before(async () => {
  server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${await smtp.start()}` });
  call = plain(openApiCore(server.url));
  admin = adminClient(server.url);
});
after(async () => {
  await server.stop();
  await smtp.stop();
});

const contact = (Name: string, EmailAddress: string, MessageTypes: string[], PhoneNumber?: string) =>
  addContact(call, { Name, EmailAddress, PhoneNumber, Title: 'Other', MessageTypes });
const verify = (contactId: string, target: string) => verifyTarget(call, server.url, contactId, target);

test('inherited and retained contacts receive; unverified, unsubscribed and unrelated ones do not', async () => {
  const folder = (await call('CreateFolder', { FolderName: 'Routing' })).Folder.FolderId;
  const other = (await call('CreateFolder', { FolderName: 'Elsewhere' })).Folder.FolderId;
  const member = (await call('CreateResourceAccount', { DisplayName: 'routed member', ParentFolderId: folder })).Account.AccountId;

  const inherited = await contact('inherited', 'inh@example.com', ['SecurityMessage'], '86-13800000001');
  await verify(inherited, 'inh@example.com');
  await verify(inherited, '86-13800000001');
  // A newer, unverified address: deliveries keep using the verified one.
  await call('UpdateMessageContact', { ContactId: inherited, EmailAddress: 'inh.new@example.com' });
  const retained = await contact('retained', 'ret@example.com', ['SecurityMessage', 'FaultMessage']);
  await verify(retained, 'ret@example.com');
  const unverified = await contact('unverified', 'unv@example.com', ['SecurityMessage']);
  const unsubscribed = await contact('unsubscribed', 'uns@example.com', ['ProductMessage']);
  await verify(unsubscribed, 'uns@example.com');
  const unrelated = await contact('unrelated', 'unr@example.com', ['SecurityMessage']);
  await verify(unrelated, 'unr@example.com');

  await call('AssociateMembers', { ContactId: inherited, Members: [folder] });
  await call('AssociateMembers', { ContactId: unverified, Members: [folder] });
  await call('AssociateMembers', { ContactId: unsubscribed, Members: [folder] });
  await call('AssociateMembers', { ContactId: unrelated, Members: [other] });
  await call('AssociateMembers', { ContactId: retained, Members: [member] });
  await call('DeleteMessageContact', { ContactId: retained, RetainContactInMembers: true });

  const sent = await admin.post('/messages', { AccountId: member, MessageType: 'SecurityMessage', Subject: 'Login alert', Body: 'A new login.' });
  assert.match(sent.MessageId, /^[0-9A-F-]{36}$/);
  const byTarget = (r: { To: string }, s: { To: string }) => r.To.localeCompare(s.To);
  assert.deepEqual([...sent.Recipients].sort(byTarget), [
    { Channel: 'sms', To: '86-13800000001', ContactId: inherited },
    { Channel: 'email', To: 'inh@example.com', ContactId: inherited },
    { Channel: 'email', To: 'ret@example.com', ContactId: retained },
  ]);

  // The e-mails arrived over SMTP; the SMS, with no gateway configured, is in the outbox.
  for (const to of ['inh@example.com', 'ret@example.com']) {
    const mails = smtp.to(to).filter((m) => m.subject === 'Login alert');
    assert.equal(mails.length, 1, to);
    assert.equal(mails[0]!.text.trim(), 'A new login.');
  }
  const [sms] = (await admin.get('/outbox?To=86-13800000001')).Messages;
  assert.deepEqual([sms.Subject, sms.Body, sms.Channel, sms.Delivery], ['Login alert', 'A new login.', 'sms', 'recorded']);
  for (const to of ['inh.new@example.com', 'unv@example.com', 'uns@example.com', 'unr@example.com']) {
    assert.equal(smtp.to(to).filter((m) => m.subject === 'Login alert').length, 0, to);
  }

  // A type nobody but the owner takes reaches no contact at all.
  assert.deepEqual((await admin.post('/messages', { AccountId: member, MessageType: 'ActivityMessage', Subject: 's', Body: 'b' })).Recipients, []);
});

test('a message for an unknown account or of an unknown type is refused', async () => {
  const unknown = await admin.raw('POST', '/messages', { AccountId: '1234567890123456', MessageType: 'SecurityMessage', Subject: 's', Body: 'b' });
  assert.deepEqual([unknown.status, unknown.body.Code], [404, 'EntityNotExists.Account']);
  const badType = await admin.raw('POST', '/messages', { AccountId: '1111111111111111', MessageType: 'Spam', Subject: 's', Body: 'b' });
  assert.deepEqual([badType.status, badType.body.Code], [400, 'InvalidBody']);
});

test('the outbox: everything newest first, every copy of the MessageId POST /messages answers with, cleared by MessageId', async () => {
  const member = (await call('CreateResourceAccount', { DisplayName: 'outbox member' })).Account.AccountId;
  const c = await contact('outboxed', 'out@example.com', ['FaultMessage'], '86-13800000002');
  await verify(c, 'out@example.com');
  await verify(c, '86-13800000002');
  await call('AssociateMembers', { ContactId: c, Members: [member] });
  const first = await admin.post('/messages', { AccountId: member, MessageType: 'FaultMessage', Subject: 'first', Body: '1' });
  const second = await admin.post('/messages', { AccountId: member, MessageType: 'FaultMessage', Subject: 'second', Body: '2' });

  const copies = (await admin.get(`/outbox?MessageId=${first.MessageId}`)).Messages;
  assert.deepEqual(
    copies.map((m: any) => [m.MessageId, m.To, m.Subject, m.ContactId, m.AccountId]).sort(),
    [
      [first.MessageId, '86-13800000002', 'first', c, member],
      [first.MessageId, 'out@example.com', 'first', c, member],
    ],
  );
  const latest = (await admin.get('/outbox')).Messages;
  assert.deepEqual(latest.slice(0, 4).map((m: any) => m.Subject), ['second', 'second', 'first', 'first']);
  assert.equal((await admin.get('/outbox?Limit=1')).Messages.length, 1);
  assert.deepEqual((await admin.get(`/outbox?MessageId=${first.MessageId}&To=out%40example.com`)).Messages.map((m: any) => m.To), ['out@example.com']);

  assert.equal((await admin.raw('DELETE', `/outbox?MessageId=${first.MessageId}`)).body.Cleared, 2);
  assert.deepEqual((await admin.get(`/outbox?MessageId=${first.MessageId}`)).Messages, []);
  assert.equal((await admin.get(`/outbox?MessageId=${second.MessageId}`)).Messages.length, 2);
  assert.equal((await admin.raw('DELETE', '/outbox')).body.Cleared, latest.length - 2);
  assert.deepEqual((await admin.get('/outbox')).Messages, []);
});
