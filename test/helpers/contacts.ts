import assert from 'node:assert/strict';
import { adminClient } from './admin.js';
import { allClients, failure, type Call, type CallParams } from './clients.js';
import { KEYS, type TestKey } from './server.js';

/** pop-core answers null-prototype objects; a JSON round trip makes every client's body comparable. */
export const plain = (call: Call): Call => async (action, params) => JSON.parse(JSON.stringify(await call(action, params)));

/** Every client flavour, answering plain objects. */
export function plainClients(url: string, key: TestKey = KEYS.main): Record<string, Call> {
  return Object.fromEntries(Object.entries(allClients(url, key)).map(([name, call]) => [name, plain(call)]));
}

/** An expected error: HTTP status, code and message, as the client reports them. */
export type Expected = readonly [status: number, code: string, message: string];

/**
 * The documented errors of the message-contact actions, written out from
 * docs/reference/api-notes.md section 4 (and docs/reference/model.md where Alibaba is silent), never imported from src/: a wrong
 * entry in the error catalogue must make a test fail.
 */
export const ERR = {
  missing: (name: string): Expected => [400, `MissingParameter.${name}`, `You must specify ${name}.`],
  invalid: (name: string): Expected => [400, `InvalidParameter.${name}`, `The ${name} is invalid.`],
  nameLength: [400, 'InvalidParameter.Name.Length', 'The Name exceeds the length limit.'],
  nameUsed: [400, 'InvalidParameter.Name.AlreadyUsed', 'The Name already exists. Please change to another name.'],
  countryCode: [400, 'InvalidParameter.MobileCountryCode', 'The current site does not support the country code.'],
  contactNotExists: [404, 'EntityNotExists.Contact', 'This Contact does not exist.'],
  memberNotExists: [404, 'EntityNotExists.Member', 'This Member does not exist.'],
  statusMismatch: [400, 'ContactStatusMismatchAction', 'The status of the contact does not allow the specified operation.'],
  concurrent: [429, 'ConcurrentCallNotSupported', 'The operation conflicts with other operations. Please try again later.'],
  contactQuota: [400, 'QuotaExceeded.Contact', 'The maximum number of contacts exceeds the limit.'],
  membersDuplicate: [400, 'InvalidParameter.Members.Duplicate', 'The Members contains duplicate values.'],
  membersLength: [400, 'InvalidParameter.Members.Length', 'The maximum number of Members exceeds the limit.'],
  contactMembers: [400, 'LimitExceeded.ContactMembers', 'The maximum number of contact members exceeds the limit.'],
  invalidMember: [400, 'InvalidMember', 'The member does not exist in the resource directory.'],
  verificationNotExists: [404, 'EntityNotExists.Contact.Verification', 'This contact verification does not exist.'],
  sendLimit: [409, 'SendValidateCodeExceedsLimitForAccount', 'For the same account, the number of verification codes sent exceeds the limit.'],
  noDirectory: [
    404,
    'EntityNotExists.ResourceDirectory',
    'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.',
  ],
} as const;

/** Asserts that a call fails with exactly this status, code and message. */
export async function rejects(promise: Promise<unknown>, expected: Expected, label?: string): Promise<void> {
  const f = await failure(promise);
  assert.deepEqual([f.status, f.code, f.message], [...expected], label);
}

/** `yyyy-MM-dd HH:mm:ss`, the message-contact time format. */
export const CONTACT_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Asserts a contact time is UTC and falls inside [before, after] (to the second, as it is written). */
export function assertContactTime(value: unknown, before: number, after: number, label?: string): void {
  assert.match(String(value), CONTACT_TIME, label);
  const at = Date.parse(`${String(value).replace(' ', 'T')}Z`);
  assert.ok(at >= Math.floor(before / 1000) * 1000 && at <= after, `${label ?? 'time'} ${String(value)} is not the UTC time of the call`);
}

let nameCounter = 0;

/** A fresh contact name: names may hold letters only, so the counter is written in letters. */
export function uniqueName(prefix = 'ct'): string {
  let n = nameCounter++;
  let suffix = '';
  do {
    suffix = String.fromCharCode(97 + (n % 26)) + suffix;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `${prefix}${suffix}`;
}

/**
 * The contact fixture: a valid contact (a fresh name, an email, a title, one message type),
 * `params` changing or adding what a test cares about. Every test adds contacts through it.
 */
export async function addContact(call: Call, params: CallParams = {}): Promise<string> {
  const body = await call('AddMessageContact', {
    Name: uniqueName(),
    EmailAddress: 'ops@example.com',
    Title: 'TechnicalDirector',
    MessageTypes: ['AccountExpenses'],
    ...params,
  });
  return body.Contact.ContactId as string;
}

export async function getContact(call: Call, contactId: string): Promise<Record<string, any>> {
  return (await call('GetMessageContact', { ContactId: contactId })).Contact;
}

/** The caller's directory: its ID and Root folder ID. */
export async function directoryOf(call: Call): Promise<{ rdId: string; rootId: string }> {
  const rd = (await call('GetResourceDirectory')).ResourceDirectory;
  return { rdId: rd.ResourceDirectoryId, rootId: rd.RootFolderId };
}

/**
 * Verifies a pending email or phone the way its owner does: the verification is sent, its
 * link read from the outbox (`GET /_rdmc/outbox`) and confirmed with a POST.
 */
export async function verifyTarget(call: Call, url: string, contactId: string, target: string): Promise<void> {
  const email = target.includes('@');
  await call(email ? 'SendEmailVerificationForMessageContact' : 'SendPhoneVerificationForMessageContact', {
    ContactId: contactId,
    [email ? 'EmailAddress' : 'PhoneNumber']: target,
  });
  const sent = (await adminClient(url).get(`/outbox?To=${encodeURIComponent(target)}`)).Messages.find((m: { ContactId: string }) => m.ContactId === contactId);
  assert.ok(sent, `no verification message for ${target} in the outbox`);
  assert.equal((await fetch(sent.Link, { method: 'POST' })).status, 200, `confirming ${sent.Link}`);
}

/** Verifies every pending target of a contact through its link, so the contact is Active. */
export async function verifyPending(call: Call, url: string, contactId: string): Promise<void> {
  const { ContactVerifications } = await call('ListMessageContactVerifications', { ContactId: contactId });
  for (const { Target } of ContactVerifications as Array<{ Target: string }>) await verifyTarget(call, url, contactId, Target);
}
