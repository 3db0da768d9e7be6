import type { VerificationTokenRecord } from '../records.js';

/** A `verification_tokens` row as both dialects return it. */
export interface VerificationTokenRow {
  token_hash: string;
  directory_id: string;
  contact_id: string;
  channel: VerificationTokenRecord['channel'];
  target: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export const toVerificationToken = (r: VerificationTokenRow): VerificationTokenRecord => ({
  tokenHash: r.token_hash,
  directoryId: r.directory_id,
  contactId: r.contact_id,
  channel: r.channel,
  target: r.target,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});
