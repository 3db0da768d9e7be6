import { contactTime } from '../domain/clock.js';
import type { BindingRecord, ContactRecord } from '../storage/records.js';

export type ContactStatus = 'Verifying' | 'Active' | 'Deleting';

/** Status is derived, never stored: Deleting while a deletion runs, else Verifying while anything is pending. */
export function contactStatus(c: ContactRecord): ContactStatus {
  if (c.deleting) return 'Deleting';
  return c.emailPending !== null || c.phonePending !== null ? 'Verifying' : 'Active';
}

/** Get and List show the latest requested address, verified or not (docs/reference/model.md section 2). */
export const shownEmail = (c: ContactRecord) => c.emailPending ?? c.emailEffective ?? '';
export const shownPhone = (c: ContactRecord) => c.phonePending ?? c.phoneEffective ?? '';

/** The contact object of GetMessageContact and of each ListMessageContacts item. */
export function contactView(c: ContactRecord, bindings: BindingRecord[]) {
  return {
    ContactId: c.id,
    Name: c.name,
    EmailAddress: shownEmail(c),
    PhoneNumber: shownPhone(c),
    Title: c.title,
    MessageTypes: c.messageTypes,
    Members: bindings.map((b) => b.memberId),
    Status: contactStatus(c),
    CreateDate: contactTime(c.createTime),
  };
}
