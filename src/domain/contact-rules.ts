import { errors } from './errors.js';
import { idPatterns } from './ids.js';

/** Enumerations and formats of message contacts (docs/reference/api-notes.md sections 2.3 to 2.5). */
export const TITLES = ['FinanceDirector', 'TechnicalDirector', 'MaintenanceDirector', 'CEO', 'ProjectDirector', 'Other'] as const;
export type Title = (typeof TITLES)[number];

export const MESSAGE_TYPES = [
  'ServiceMessage',
  'FaultMessage',
  'AccountExpenses',
  'SecurityMessage',
  'ActivityMessage',
  'ProductMessage',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const LIMITS = {
  membersPerCall: 5,
  bindingsPerContact: 10,
  nameMin: 2,
  nameMax: 12,
};

// ASCII letters or CJK unified ideographs (the ZH docs allow Chinese characters; docs/reference/api-notes.md section 9.1).
const NAME_CHARS = /^[A-Za-z\u4e00-\u9fff\u3400-\u4dbf]+$/u;
/**
 * One bare mailbox, `local@domain`, nothing a mail library could read as something else: the
 * local part is dot-separated atoms (RFC 5322 atext, plus any non-ASCII letter), the domain
 * dot-separated labels of letters, digits and inner hyphens. No list (`,` `;`), display name
 * (`<` `>`), quoting (`"`), comment (`(` `)`), group (`:`), literal (`[` `]`), backslash or
 * whitespace can pass, so the address stored is the one mail goes to.
 */
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\uFFFF]+";
const LABEL = '[A-Za-z0-9\\u0080-\\uFFFF](?:[A-Za-z0-9\\u0080-\\uFFFF-]*[A-Za-z0-9\\u0080-\\uFFFF])?';
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`);
// Unicode spaces, controls and separators are never part of an address, ASCII or not.
const NOT_IN_ADDRESS = /[\p{White_Space}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export function checkContactId(id: string): string {
  if (!idPatterns.contact.test(id)) throw errors.invalidParameter('ContactId');
  return id;
}

export function checkName(name: string): string {
  if (!NAME_CHARS.test(name)) throw errors.invalidParameter('Name');
  const length = [...name].length;
  if (length < LIMITS.nameMin || length > LIMITS.nameMax) throw errors.nameLength();
  return name;
}

export function checkEmail(email: string): string {
  if (email.length > 254 || !EMAIL.test(email) || NOT_IN_ADDRESS.test(email)) throw errors.invalidParameter('EmailAddress');
  if (email.indexOf('@') > 64) throw errors.invalidParameter('EmailAddress');
  return email;
}

/** `86-` plus an 11-digit mainland mobile number; other country codes are not supported. */
export function checkPhone(phone: string): string {
  const match = /^(\d{1,4})-(\d+)$/.exec(phone);
  if (!match) throw errors.invalidParameter('PhoneNumber');
  if (match[1] !== '86') throw errors.mobileCountryCode();
  if (!MAINLAND_MOBILE.test(match[2]!)) throw errors.invalidParameter('PhoneNumber');
  return phone;
}

export function checkTitle(title: string): Title {
  if (!(TITLES as readonly string[]).includes(title)) throw errors.invalidParameter('Title');
  return title as Title;
}

export function checkMessageTypes(types: string[]): MessageType[] {
  if (types.length === 0) throw errors.missingParameter('MessageTypes');
  for (const t of types) {
    if (!(MESSAGE_TYPES as readonly string[]).includes(t)) throw errors.invalidParameter('MessageTypes');
  }
  // The set matters, not the order or repetition the caller used; keep the first spelling order.
  return [...new Set(types)] as MessageType[];
}

/** The addresses of a contact that CancelMessageContactUpdate weighs: what waits for verification, what is verified. */
export interface PendingAddresses {
  emailPending: string | null;
  emailEffective: string | null;
  phonePending: string | null;
}

/**
 * CancelMessageContactUpdate: the pending addresses after cancelling the one(s) named (both
 * pending ones when neither is named), or `ContactStatusMismatchAction` when a named one is not
 * what is pending, nothing is pending, or the email would be left with nothing: a first,
 * never-verified email has nothing to fall back to, while a first phone is simply dropped.
 */
export function cancelPendingUpdate(contact: PendingAddresses, asked: { EmailAddress?: string; PhoneNumber?: string }): { emailPending: string | null; phonePending: string | null } {
  const neitherNamed = asked.EmailAddress === undefined && asked.PhoneNumber === undefined;
  const cancelEmail = neitherNamed ? contact.emailPending !== null : asked.EmailAddress !== undefined;
  const cancelPhone = neitherNamed ? contact.phonePending !== null : asked.PhoneNumber !== undefined;
  if (!cancelEmail && !cancelPhone) throw errors.contactStatusMismatch();
  if (cancelEmail) {
    const matches = asked.EmailAddress === undefined || asked.EmailAddress === contact.emailPending;
    if (contact.emailPending === null || !matches || contact.emailEffective === null) throw errors.contactStatusMismatch();
  }
  if (cancelPhone) {
    const matches = asked.PhoneNumber === undefined || asked.PhoneNumber === contact.phonePending;
    if (contact.phonePending === null || !matches) throw errors.contactStatusMismatch();
  }
  return { emailPending: cancelEmail ? null : contact.emailPending, phonePending: cancelPhone ? null : contact.phonePending };
}
