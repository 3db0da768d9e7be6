import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { adminClient } from '../helpers/admin.js';
import { chromiumAvailable, externalRequests, launchChromium } from '../helpers/browser.js';
import { openApiCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The console's first page as a person meets it: Debian's Chromium opens the verification
 * link, finds the confirm button by its accessible name, presses it, and the contact turns
 * Active. `.ci/run` installs Chromium; without it this test is skipped, loudly.
 */
const available = chromiumAvailable('the browser test of the verification page');

let server: TestServer;
let browser: Browser | undefined;
before(async () => {
  server = await startTestServer();
  if (available) {
    browser = await launchChromium();
  }
});
after(async () => {
  await browser?.close();
  await server.stop();
});

test('a person opens the link, presses Confirm and the contact turns Active', { skip: !available && 'no Chromium' }, async () => {
  const call = openApiCore(server.url);
  const contactId = await addContact(call, { Name: 'browser', EmailAddress: 'web@example.com', Title: 'CEO', MessageTypes: ['FaultMessage'] });
  await call('SendEmailVerificationForMessageContact', { ContactId: contactId, EmailAddress: 'web@example.com' });
  const [message] = (await adminClient(server.url).get('/outbox?To=web%40example.com')).Messages;

  const page = await browser!.newPage();
  const external = externalRequests(page, server.url);
  await page.goto(message.Link);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Confirm your contact details');
  assert.ok((await page.textContent('main'))?.includes('web@example.com'));
  if (process.env.RDMC_SCREENSHOTS) await page.screenshot({ path: join(process.env.RDMC_SCREENSHOTS, 'verify.png') });

  await page.getByRole('button', { name: 'Confirm this email address' }).click();
  await page.getByRole('heading', { name: 'Confirmed' }).waitFor();
  assert.match((await page.getByRole('status').textContent()) ?? '', /web@example\.com is now verified/);
  if (process.env.RDMC_SCREENSHOTS) await page.screenshot({ path: join(process.env.RDMC_SCREENSHOTS, 'confirmed.png') });
  assert.deepEqual(external, [], 'the page loads nothing from elsewhere');
  assert.equal((await call('GetMessageContact', { ContactId: contactId })).Contact.Status, 'Active');
});
