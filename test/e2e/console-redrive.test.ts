import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { adminClient } from '../helpers/admin.js';
import { chromiumAvailable, externalRequests, launchChromium } from '../helpers/browser.js';
import { openApiCore } from '../helpers/clients.js';
import { consoleLogin, csrfOf, getPage, postForm } from '../helpers/console-login.js';
import { addContact } from '../helpers/contacts.js';
import { eventually } from '../helpers/eventually.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { freePort } from '../helpers/ports.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The console's redrive buttons (docs/operations.md, Redrive): a delivery fails for good while
 * the mail server is down; its Retry buttons (on the jobs and the outbox page) and the "Retry
 * all failed" ones are POST forms carrying the CSRF field; once the server is up, a press sends
 * the mail, once. Plain HTTP with a login session and on loopback without a token, and Chromium.
 */
const TOKEN = 'console-redrive-token-0123456789abcdef';
const available = chromiumAvailable('the browser test of the console retry buttons');

/** A console with a mail server at `port` (down until started) and one attempt per delivery. */
async function consoleWithMail(adminToken?: string) {
  const port = await freePort();
  const server = await startTestServer({ adminToken, smtpUrl: `smtp://127.0.0.1:${port}`, asyncMode: 'delay', asyncDelayMs: 0, jobMaxAttempts: 1 });
  const call = openApiCore(server.url);
  const admin = adminClient(server.url, adminToken);
  const delivery = async (to: string) => (await admin.get(`/outbox?To=${encodeURIComponent(to)}`)).Messages[0];
  return {
    port,
    server,
    admin,
    /** A verification e-mail to `address` that failed for good: its delivery and its job. */
    async failed(address: string) {
      const contactId = await addContact(call, { EmailAddress: address, MessageTypes: ['SecurityMessage'] });
      await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: address });
      const message = await eventually(`${address} to fail for good`, async () => ((await delivery(address))?.Delivery === 'failed' ? delivery(address) : null));
      const job = (await admin.get('/jobs')).Jobs.find((j: any) => j.DeliveryId === message.DeliveryId);
      assert.equal(job.State, 'failed');
      return { deliveryId: message.DeliveryId as string, jobId: job.JobId as number };
    },
    sent: (to: string) => eventually(`${to} delivered`, async () => (await delivery(to)).Delivery === 'sent'),
    state: async (to: string) => (await delivery(to)).Delivery as string,
  };
}

const button = (action: string, label: string, field: string) =>
  new RegExp(`<form class="action" method="post" action="/_rdmc/console${action.replace(/[.]/g, '\\.')}">${field}<button type="submit">${label}</button></form>`);
const SESSION_FIELD = '<input type="hidden" name="csrf" value="[^"]+">';

describe('the console retries failed jobs and deliveries with POST forms (login session)', () => {
  const smtp = new SmtpInbox();
  let c: Awaited<ReturnType<typeof consoleWithMail>>;
  let browser: Browser | undefined;

  before(async () => {
    c = await consoleWithMail(TOKEN);
    if (available) browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await c?.server.stop();
    await smtp.stop();
  });

  test('the buttons carry the CSRF field, are refused without it, send once, and refusals read as problem pages', async () => {
    const one = await c.failed('button@example.com');
    const other = await c.failed('outbox@example.com');
    const cookie = await consoleLogin(c.server.url, TOKEN);
    const jobs = await (await getPage(c.server.url, '/_rdmc/console/jobs', cookie)).text();
    assert.match(jobs, button(`/jobs/${one.jobId}/retry`, 'Retry', SESSION_FIELD));
    assert.match(jobs, button('/jobs/retry', 'Retry all failed jobs', SESSION_FIELD));
    assert.match(jobs, new RegExp(`connect ECONNREFUSED 127\\.0\\.0\\.1:${c.port}`), 'the cause is shown');
    const outbox = await (await getPage(c.server.url, '/_rdmc/console/outbox', cookie)).text();
    assert.match(outbox, button(`/outbox/${other.deliveryId}/retry`, 'Retry', SESSION_FIELD));
    assert.match(outbox, button('/outbox/retry', 'Retry all failed deliveries', SESSION_FIELD));
    const csrf = csrfOf(jobs);

    const forged = await postForm(c.server.url, `/_rdmc/console/jobs/${one.jobId}/retry`, {}, { cookie });
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /not from your console session/);
    assert.equal((await postForm(c.server.url, '/_rdmc/console/outbox/retry', { csrf: 'x' }, { cookie })).status, 403);
    assert.equal(await c.state('button@example.com'), 'failed', 'a refused form changes nothing');
    assert.equal(await c.state('outbox@example.com'), 'failed');

    await smtp.start(c.port);
    const retried = await postForm(c.server.url, `/_rdmc/console/jobs/${one.jobId}/retry`, { csrf }, { cookie });
    assert.equal(retried.status, 303);
    assert.equal(retried.headers.get('location'), '/_rdmc/console/jobs?Retried=1');
    assert.match(await (await getPage(c.server.url, retried.headers.get('location')!, cookie)).text(), /<p role="status">1 job queued again\.<\/p>/);
    await c.sent('button@example.com');

    const all = await postForm(c.server.url, '/_rdmc/console/outbox/retry', { csrf }, { cookie });
    assert.equal(all.status, 303);
    assert.equal(all.headers.get('location'), '/_rdmc/console/outbox?Retried=1');
    await c.sent('outbox@example.com');

    const sentAlready = await postForm(c.server.url, `/_rdmc/console/outbox/${one.deliveryId}/retry`, { csrf }, { cookie });
    assert.equal(sentAlready.status, 409);
    assert.match(await sentAlready.text(), new RegExp(`IncorrectDeliveryState: Delivery ${one.deliveryId} is sent`));
    const finished = await postForm(c.server.url, `/_rdmc/console/jobs/${one.jobId}/retry`, { csrf }, { cookie });
    assert.equal(finished.status, 404);
    assert.match(await finished.text(), new RegExp(`Job ${one.jobId} does not exist`));
    const none = await postForm(c.server.url, '/_rdmc/console/jobs/retry', { csrf }, { cookie });
    assert.equal(none.headers.get('location'), '/_rdmc/console/jobs?Retried=0');
    assert.equal((await getPage(c.server.url, '/_rdmc/console/jobs/retry', cookie)).status, 405, 'a button is not a page');

    assert.equal(smtp.to('button@example.com').length, 1);
    assert.equal(smtp.to('outbox@example.com').length, 1);
    await smtp.stop();
  });

  test('in Chromium: log in, press Retry on a failed delivery, the mail goes out once', { skip: !available && 'no Chromium' }, async () => {
    await c.failed('browser@example.com');
    await smtp.start(c.port);
    const context = await browser!.newContext();
    const page = await context.newPage();
    const external = externalRequests(page, c.server.url);
    await page.goto(`${c.server.url}/_rdmc/console/outbox?To=browser%40example.com`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/_rdmc\/console\/outbox/);
    await page.getByRole('button', { name: 'Retry', exact: true }).click();
    assert.equal(await page.getByRole('status').textContent(), '1 delivery queued again.');
    await c.sent('browser@example.com');
    assert.equal(smtp.to('browser@example.com').length, 1);
    assert.deepEqual(external, []);
    await context.close();
  });
});

describe('the console retry buttons on loopback without a token', () => {
  const smtp = new SmtpInbox();
  let c: Awaited<ReturnType<typeof consoleWithMail>>;

  before(async () => {
    c = await consoleWithMail();
  });
  after(async () => {
    await c?.server.stop();
    await smtp.stop();
  });

  test('work as the other console forms do: no field, another site refused', async () => {
    const { deliveryId } = await c.failed('loopback@example.com');
    const outbox = await (await getPage(c.server.url, '/_rdmc/console/outbox')).text();
    assert.match(outbox, button(`/outbox/${deliveryId}/retry`, 'Retry', ''));
    const crossSite = await postForm(c.server.url, `/_rdmc/console/outbox/${deliveryId}/retry`, {}, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    assert.equal(await c.state('loopback@example.com'), 'failed');
    await smtp.start(c.port);
    const retried = await postForm(c.server.url, `/_rdmc/console/outbox/${deliveryId}/retry`, {});
    assert.equal(retried.status, 303);
    assert.equal(retried.headers.get('location'), '/_rdmc/console/outbox?Retried=1');
    await c.sent('loopback@example.com');
    assert.equal(smtp.to('loopback@example.com').length, 1);
  });
});
