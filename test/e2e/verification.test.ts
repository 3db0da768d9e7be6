import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore, popCore, type Call } from '../helpers/clients.js';
import { addContact, ERR, plain, rejects, uniqueName, type Expected } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { TestClock } from '../helpers/clock.js';
import { linkIn, SmsInbox, SmtpInbox } from '../helpers/inboxes.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

const SECRET = 'sms-webhook-secret';

const securityContact = (call: Call, EmailAddress: string, PhoneNumber?: string) =>
  addContact(call, { Name: uniqueName('v'), EmailAddress, PhoneNumber, Title: 'CEO', MessageTypes: ['SecurityMessage'] });

describe('verification through real e-mail and SMS channels', () => {
  const smtp = new SmtpInbox();
  const sms = new SmsInbox(SECRET);
  let server: TestServer;
  let v1: Call;
  let v3: Call;

  before(async () => {
    const smtpPort = await smtp.start();
    const smsUrl = await sms.start();
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${smtpPort}`, smsWebhookUrl: smsUrl, smsWebhookSecret: SECRET });
    v1 = plain(popCore(server.url, undefined, 'POST'));
    v3 = plain(openApiCore(server.url));
  });
  after(async () => {
    await server.stop();
    await smtp.stop();
    await sms.stop();
  });

  test('a contact receives both messages, follows both links and turns Active', async () => {
    const contactId = await securityContact(v1, 'alice@example.com', '86-13800138000');
    await v3('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'alice@example.com' });
    await v1('SendPhoneVerificationForMessageContact', { ContactId: contactId, PhoneNumber: '86-13800138000' });

    const [mail] = smtp.to('alice@example.com');
    assert.ok(mail, 'the e-mail reached the SMTP server');
    assert.match(mail.subject, /^Verify your email address for message contact /);
    assert.equal(smtp.to('alice@example.com').length, 1);
    const emailLink = linkIn(mail.text);
    assert.ok(emailLink.startsWith(`${server.url}/verify/`));
    assert.ok(mail.html.includes(emailLink), 'the HTML part carries the same link');

    const [text] = sms.messages.filter((m) => m.To === '86-13800138000');
    assert.ok(text, 'the SMS reached the webhook');
    assert.equal(text.signatureValid, true);
    assert.equal(text.messageIdHeader, text.MessageId);
    const phoneLink = linkIn(text.Body);

    // GET shows the contact and the target with a confirm button; it confirms nothing.
    const page = await fetch(emailLink);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.ok(html.includes('alice@example.com') && html.includes('<button type="submit">'));
    assert.equal((await v3('GetMessageContact', { ContactId: contactId })).Contact.Status, 'Verifying');

    assert.equal((await fetch(emailLink, { method: 'POST' })).status, 200);
    // The phone is still pending, so the contact is still Verifying.
    assert.equal((await v3('GetMessageContact', { ContactId: contactId })).Contact.Status, 'Verifying');
    assert.deepEqual((await v3('ListMessageContactVerifications', { ContactId: contactId })).ContactVerifications, [
      { ContactId: contactId, Target: '86-13800138000' },
    ]);
    const confirmed = await fetch(phoneLink, { method: 'POST' });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /is now verified/);
    assert.equal((await v1('GetMessageContact', { ContactId: contactId })).Contact.Status, 'Active');
    assert.equal((await v3('ListMessageContactVerifications', { ContactId: contactId })).TotalCount, 0);

    // A used link gets a clear page, not an error trace.
    const reused = await fetch(emailLink, { method: 'POST' });
    assert.equal(reused.status, 410);
    assert.match(await reused.text(), /already been used/);
    assert.equal((await fetch(emailLink)).status, 410);
    // The target is effective now, not pending: nothing left to send for.
    await rejects(v3('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'alice@example.com' }), ERR.verificationNotExists);
  });

  test('a changed address needs verifying again and gets its own link; an unknown link gets a 404 page', async () => {
    const contactId = await securityContact(v3, 'bob@example.com');
    await v3('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'bob@example.com' });
    const first = linkIn(smtp.to('bob@example.com')[0]!.text);
    await v3('UpdateMessageContact', { ContactId: contactId, EmailAddress: 'bobby@example.com' });
    // The old link's target is no longer pending.
    const stale = await fetch(first, { method: 'POST' });
    assert.equal(stale.status, 410);
    assert.match(await stale.text(), /no longer waiting for verification/);
    const unknown = await fetch(`${server.url}/verify/${'x'.repeat(43)}`);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /not valid/);
  });
});

describe('Send… errors, rate limits and expiry', () => {
  // Links expire and rate windows pass without waiting.
  const time = new TestClock();
  let server: TestServer;
  let v1: Call;
  let v3: Call;
  before(async () => {
    server = await startTestServer({}, { clock: time });
    v1 = plain(popCore(server.url));
    v3 = plain(openApiCore(server.url));
  });
  after(() => server.stop());

  test('every documented error of both Send actions, through v1 and v3', async () => {
    const contactId = await securityContact(v3, 'carol@example.com', '86-13900139000');
    const cases: Array<[string, Record<string, string>, Expected]> = [
      ['SendEmailVerificationForMessageContact', { EmailAddress: 'carol@example.com' }, ERR.missing('ContactId')],
      ['SendEmailVerificationForMessageContact', { ContactId: 'c-1', EmailAddress: 'carol@example.com' }, ERR.invalid('ContactId')],
      ['SendEmailVerificationForMessageContact', { ContactId: contactId }, ERR.missing('EmailAddress')],
      ['SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'carol' }, ERR.invalid('EmailAddress')],
      ['SendEmailVerificationForMessageContact', { ContactId: 'c-0000000000000000', EmailAddress: 'carol@example.com' }, ERR.contactNotExists],
      ['SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'other@example.com' }, ERR.verificationNotExists],
      ['SendPhoneVerificationForMessageContact', { PhoneNumber: '86-13900139000' }, ERR.missing('ContactId')],
      ['SendPhoneVerificationForMessageContact', { ContactId: 'c-1', PhoneNumber: '86-13900139000' }, ERR.invalid('ContactId')],
      ['SendPhoneVerificationForMessageContact', { ContactId: contactId }, ERR.missing('PhoneNumber')],
      ['SendPhoneVerificationForMessageContact', { ContactId: contactId, PhoneNumber: '86-123' }, ERR.invalid('PhoneNumber')],
      ['SendPhoneVerificationForMessageContact', { ContactId: contactId, PhoneNumber: '1-2025550100' }, ERR.countryCode],
      ['SendPhoneVerificationForMessageContact', { ContactId: 'c-0000000000000000', PhoneNumber: '86-13900139000' }, ERR.contactNotExists],
      ['SendPhoneVerificationForMessageContact', { ContactId: contactId, PhoneNumber: '86-13900139001' }, ERR.verificationNotExists],
    ];
    for (const [action, params, expected] of cases) {
      for (const call of [v1, v3]) await rejects(call(action, params), expected, `${action} ${JSON.stringify(params)}`);
    }
  });

  test('10 sends a minute per address and 100 a day per account, then 409', async () => {
    // The sends of the tests before fall out of the day's window.
    time.advance(24 * 3_600_000 + 1);
    const contactId = await securityContact(v3, 'dave@example.com');
    const send = () => v1('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'dave@example.com' });
    for (let i = 0; i < 10; i++) await send();
    await rejects(send(), ERR.sendLimit, '11th in a minute');
    for (let minute = 1; minute < 10; minute++) {
      time.advance(61_000);
      for (let i = 0; i < 10; i++) await send();
    }
    time.advance(61_000);
    // The account's 100 are spent: another address of its contacts waits as well.
    const other = await securityContact(v3, 'dave.other@example.com');
    await rejects(v1('SendEmailVerificationForMessageContact', { ContactId: other, EmailAddress: 'dave.other@example.com' }), ERR.sendLimit, '101st in a day');
    await rejects(send(), ERR.sendLimit, '101st in a day, to the first address');
    time.advance(24 * 3_600_000);
    await send();
    // Every accepted send went to the outbox, newest first.
    const outbox = await adminClient(server.url).get(`/outbox?To=${encodeURIComponent('dave@example.com')}`);
    assert.equal(outbox.Messages.length, 100, 'the outbox read returns the newest 100');
    assert.ok(outbox.Messages[0].CreatedAt > outbox.Messages[99].CreatedAt);
    assert.equal(outbox.Messages[0].Delivery, 'recorded', 'no SMTP configured: the outbox holds it');
  });

  test('aliases of one mailbox share the account\'s daily 100, whatever the per-address counters say', async () => {
    time.advance(24 * 3_600_000 + 1);
    const contactId = await securityContact(v3, 'grace+0@example.com');
    // 100 spellings, one send each: no address reaches its 10 a minute.
    for (let i = 0; i < 100; i++) {
      const alias = `grace+${i}@example.com`;
      if (i > 0) await v3('UpdateMessageContact', { ContactId: contactId, EmailAddress: alias });
      await v1('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: alias });
    }
    await v3('UpdateMessageContact', { ContactId: contactId, EmailAddress: 'grace+100@example.com' });
    await rejects(v1('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'grace+100@example.com' }), ERR.sendLimit, '101st alias');
  });

  test('the limit counts a mailbox, however its address is spelt: case variants share one counter', async () => {
    time.advance(24 * 3_600_000 + 1);
    const contactId = await securityContact(v3, 'frank@example.com');
    const sendTo = (EmailAddress: string) => v1('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress });
    // Each variant becomes the pending address first, as only the pending address can be sent to.
    for (const variant of ['frank@example.com', 'Frank@example.com', 'FRANK@EXAMPLE.COM']) {
      if (variant !== 'frank@example.com') await v3('UpdateMessageContact', { ContactId: contactId, EmailAddress: variant });
      for (let i = 0; i < 3; i++) await sendTo(variant);
    }
    await v3('UpdateMessageContact', { ContactId: contactId, EmailAddress: 'fRaNk@eXaMpLe.CoM' });
    await sendTo('fRaNk@eXaMpLe.CoM');
    await rejects(sendTo('fRaNk@eXaMpLe.CoM'), ERR.sendLimit, '11th in a minute to the same mailbox');
    time.advance(61_000);
    await sendTo('fRaNk@eXaMpLe.CoM');
    // The outbox's To filter reads the mailbox the same way: every spelling, whatever the query's.
    const listed = (await adminClient(server.url).get(`/outbox?To=${encodeURIComponent('FRANK@example.com')}`)).Messages as Array<{ To: string }>;
    assert.equal(listed.length, 11);
    assert.deepEqual(new Set(listed.map((m) => m.To)), new Set(['frank@example.com', 'Frank@example.com', 'FRANK@EXAMPLE.COM', 'fRaNk@eXaMpLe.CoM']));
  });

  test('the limits are each tenant\'s own: another tenant\'s sends to the same mailbox leave this one\'s untouched', async () => {
    time.advance(24 * 3_600_000 + 1);
    const tenantA = v3;
    const tenantB = plain(popCore(server.url, KEYS.other));
    await tenantB('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    const ofA = await securityContact(tenantA, 'Victim@Example.com');
    const ofB = await securityContact(tenantB, 'victim@example.com');
    const sendA = () => tenantA('SendEmailVerificationForMessageContact', { ContactId: ofA, EmailAddress: 'Victim@Example.com' });
    const sendB = () => tenantB('SendEmailVerificationForMessageContact', { ContactId: ofB, EmailAddress: 'victim@example.com' });
    for (let i = 0; i < 10; i++) await sendA();
    await rejects(sendA(), ERR.sendLimit, 'A: 11th in a minute');
    // B's first send to its own contact at the same mailbox: A's count is not B's.
    for (let i = 0; i < 10; i++) await sendB();
    await rejects(sendB(), ERR.sendLimit, 'B: 11th in a minute');
  });

  test('a link expires after 24 hours', async () => {
    const contactId = await securityContact(v3, 'erin@example.com');
    await v3('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'erin@example.com' });
    const [message] = (await adminClient(server.url).get(`/outbox?To=erin%40example.com`)).Messages;
    assert.equal((await fetch(message.Link)).status, 200);
    time.advance(24 * 3_600_000 + 1);
    const expired = await fetch(message.Link, { method: 'POST' });
    assert.equal(expired.status, 410);
    assert.match(await expired.text(), /expired/);
    assert.equal((await v3('GetMessageContact', { ContactId: contactId })).Contact.Status, 'Verifying');
  });
});

describe('an SMTP server that is down', () => {
  const smtp = new SmtpInbox();
  let server: TestServer;
  after(async () => {
    await server?.stop();
    await smtp.stop();
  });

  test('the send is retried and delivered once it is back, exactly once', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    server = await startTestServer({ smtpUrl: `smtp://127.0.0.1:${port}`, asyncMode: 'delay', asyncDelayMs: 0, jobRetryBaseMs: 50 });
    const call = openApiCore(server.url);
    const admin = adminClient(server.url);
    const contactId = await securityContact(call, 'frank@example.com');
    await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'frank@example.com' });
    const outbox = async () => (await admin.get('/outbox?To=frank%40example.com')).Messages[0];
    await eventually('two failed attempts', async () => (await outbox()).Attempts >= 2, { tries: 500 });
    assert.equal((await outbox()).Delivery, 'pending', 'still waiting for the server');
    assert.ok((await outbox()).Attempts >= 2, 'failed attempts are recorded');

    await smtp.start(port);
    await eventually('the delivery', async () => (await outbox()).Delivery === 'sent', { tries: 1000 });
    assert.equal((await outbox()).Delivery, 'sent');
    assert.deepEqual((await admin.get('/jobs')).Jobs, []);
    assert.equal(smtp.to('frank@example.com').length, 1);
  });
});
