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

/** A contact as GetMessageContact and ListMessageContacts show it, and as the console starts from. */
export interface ContactView {
  id: string;
  name: string;
  /** The latest requested address, verified or not; `""` when there is none. */
  emailAddress: string;
  phoneNumber: string;
  title: string;
  messageTypes: string[];
  /** The objects the contact is directly bound to, in binding order. */
  members: string[];
  status: ContactStatus;
  createTime: number;
}

export function contactView(c: ContactRecord, bindings: BindingRecord[]): ContactView {
  return {
    id: c.id,
    name: c.name,
    emailAddress: shownEmail(c),
    phoneNumber: shownPhone(c),
    title: c.title,
    messageTypes: c.messageTypes,
    members: bindings.map((b) => b.memberId),
    status: contactStatus(c),
    createTime: c.createTime,
  };
}
