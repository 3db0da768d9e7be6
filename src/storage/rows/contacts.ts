import type { ContactRecord } from '../records.js';

/** A `contacts` row as both dialects return it: the flag is 0/1 in SQLite, a boolean in PostgreSQL. */
export interface ContactRow {
  id: string;
  directory_id: string;
  name: string;
  title: ContactRecord['title'];
  /** JSON text. */
  message_types: string;
  email_effective: string | null;
  email_pending: string | null;
  phone_effective: string | null;
  phone_pending: string | null;
  deleting: number | boolean;
  create_time: number;
}

export const toContact = (r: ContactRow): ContactRecord => ({
  id: r.id,
  directoryId: r.directory_id,
  name: r.name,
  title: r.title,
  messageTypes: JSON.parse(r.message_types) as ContactRecord['messageTypes'],
  emailEffective: r.email_effective,
  emailPending: r.email_pending,
  phoneEffective: r.phone_effective,
  phonePending: r.phone_pending,
  deleting: Boolean(r.deleting),
  createTime: r.create_time,
});
