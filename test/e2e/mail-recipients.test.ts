import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { smtpChannel } from '../../src/channels/smtp.js';
import { openApiCore, type Call } from '../helpers/clients.js';
import { addContact, ERR, rejects } from '../helpers/contacts.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** The address a contact stores is the one mailbox its mail goes to, and nothing else. */
const HOSTILE = [
  'ceo,attacker@evil.example',
  'a;b@evil.example',
  'ceo<attacker@evil.example>',
  'ceo <attacker@evil.example>',
  '"ceo"@evil.example',
  '"ceo@good.example"@evil.example',
  'ceo (comment)@evil.example',
  'ceo@evil.example (comment)',
  'team:ceo@evil.example;',
  'ceo@[127.0.0.1]',
  'a\\b@evil.example',
  ' ceo@evil.example',
  'ceo@evil.example\n',
  'ceo@evil.example\u00a0',
  'ceo@evil.example\u200b',
  'ceo\u2028@evil.example',
  '.ceo@evil.example',
  'c..eo@evil.example',
  'ceo@-evil.example',
  'ceo@evil..example',
  `${'a'.repeat(65)}@evil.example`,
];

let server: TestServer;
let call: Call;
const smtp = new SmtpInbox();
before(async () => {
  server = await startTestServer();
  call = openApiCore(server.url);
  await smtp.start();
});
after(async () => {
  await server.stop();
  await smtp.stop();
});

test('list, display-name, quoted, comment and whitespace syntax is refused on Add and Update', async () => {
  const id = await addContact(call, { Name: 'plain', EmailAddress: 'ceo@good.example', Title: 'CEO', MessageTypes: ['FaultMessage'] });
  for (const address of HOSTILE) {
    await rejects(call('AddMessageContact', { Name: 'hostile', EmailAddress: address, Title: 'CEO', MessageTypes: ['FaultMessage'] }), ERR.invalid('EmailAddress'));
    await rejects(call('UpdateMessageContact', { ContactId: id, EmailAddress: address }), ERR.invalid('EmailAddress'));
  }
  // Ordinary and international addresses still pass.
  for (const address of ["o'brien+tag@mail.good.example", 'first.last@good-example.co', '用户@例子.广告']) {
    await call('UpdateMessageContact', { ContactId: id, EmailAddress: address });
  }
});

test('the e-mail channel sends to the stored address as it is, never re-parsed into other recipients', async () => {
  const port = (smtp as unknown as { server: { server: { address(): { port: number } } } }).server.server.address().port;
  const channel = smtpChannel(`smtp://127.0.0.1:${port}`, 'rdmc <no-reply@rdmc.invalid>');
  // A row stored before addresses were checked this strictly.
  const message = {
    id: 'o-legacy', messageId: 'm-legacy', channel: 'email' as const, to: 'ceo,attacker@evil.example', subject: 's', body: 'b',
    link: null, contactId: null, accountId: null, createdAt: 0, delivery: 'pending' as const, attempts: 0, lastError: null, deliveredAt: null,
  };
  try {
    await channel.send(message).catch(() => undefined);
    await channel.send({ ...message, id: 'o-plain', to: 'ceo@good.example' });
  } finally {
    await channel.close();
  }
  const recipients = smtp.mails.flatMap((m) => m.recipients);
  assert.ok(!recipients.includes('attacker@evil.example'), JSON.stringify(recipients));
  // The legacy address is one mailbox (quoted as SMTP needs it), never split into two.
  assert.ok(recipients.every((r) => r.replace(/"/g, '') === 'ceo,attacker@evil.example' || r === 'ceo@good.example'), JSON.stringify(recipients));
  assert.ok(recipients.includes('ceo@good.example'));
});
