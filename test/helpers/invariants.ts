import assert from 'node:assert/strict';
import { SaxesParser } from 'saxes';
import { errors } from '../../src/domain/errors.js';
import { adminClient } from './admin.js';
import type { Call } from './clients.js';

const PLACEHOLDER = 'Zq9Placeholder';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every code rdmc may send, read from its error catalogue; codes named after a parameter
 * (`MissingParameter.<Name>`, `Missing<Name>`) match any parameter name. The admin API's own
 * codes are listed in its reference and are not part of the RPC catalogue.
 */
const CATALOGUE: RegExp[] = Object.values(errors).map((factory) => {
  const code = (factory as (arg: string) => { code: string })(PLACEHOLDER).code;
  return new RegExp(`^${escape(code).replace(PLACEHOLDER, '[A-Za-z0-9.]+')}$`);
});

export const isCatalogueCode = (code: string) => CATALOGUE.some((pattern) => pattern.test(code));

/** XML 1.0 well-formedness, by a conformant parser. */
export function assertWellFormedXml(text: string): void {
  const parser = new SaxesParser();
  let error: Error | undefined;
  parser.on('error', (e) => (error ??= e));
  parser.write(text).close();
  assert.equal(error, undefined, `${error?.message}\n${JSON.stringify(text.slice(0, 500))}`);
}

/** An RPC answer: never a 5xx, an error always a catalogue code, in the format asked for. */
export function assertRpcAnswer(answer: { status: number; text: string }, context: string): void {
  assert.ok(answer.status < 500, `${answer.status} ${answer.text.slice(0, 300)}\n${context}`);
  let code: string | undefined;
  let requestId: string | undefined;
  if (answer.text.startsWith('<?xml')) {
    assertWellFormedXml(answer.text);
    code = /<Code>([^<]*)<\/Code>/.exec(answer.text)?.[1];
    requestId = /<RequestId>([^<]*)<\/RequestId>/.exec(answer.text)?.[1];
  } else {
    const body = JSON.parse(answer.text) as { Code?: string; RequestId?: string };
    code = body.Code;
    requestId = body.RequestId;
  }
  assert.ok(requestId, context);
  if (answer.status !== 200) assert.ok(code !== undefined && isCatalogueCode(code), `not a catalogue code: ${code}\n${context}`);
}

/**
 * Message centers match bindings: every inherited entry names a live contact bound to what it
 * came through, and every contact bound to an account is in that account's message center.
 */
export async function assertMessageCentersMatchBindings(url: string, call: Call): Promise<void> {
  const admin = adminClient(url);
  const contacts = (await call('ListMessageContacts', { PageSize: 100 })).Contacts as Array<{ ContactId: string; Members: string[] }>;
  const byId = new Map(contacts.map((c) => [c.ContactId, c]));
  const accounts = (await call('ListAccounts', { PageSize: 100 })).Accounts.Account as Array<{ AccountId: string }>;
  for (const { AccountId } of accounts) {
    const center = await admin.get(`/accounts/${AccountId}/message-center`);
    for (const entry of center.Contacts as Array<{ ContactId: string; Source: string; Via: string[] }>) {
      if (entry.Source !== 'Inherited') continue;
      const contact = byId.get(entry.ContactId);
      assert.ok(contact, `${AccountId} inherits ${entry.ContactId}, which does not exist`);
      assert.ok(entry.Via.length > 0 && entry.Via.every((v) => contact.Members.includes(v)), `${AccountId}: ${JSON.stringify(entry)} vs ${contact.Members}`);
    }
    for (const contact of contacts.filter((c) => c.Members.includes(AccountId))) {
      const entry = center.Contacts.find((e: { ContactId: string }) => e.ContactId === contact.ContactId);
      assert.ok(entry?.Via.includes(AccountId), `${contact.ContactId} is bound to ${AccountId} but missing from its message center`);
    }
  }
}
