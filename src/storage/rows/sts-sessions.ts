import type { StsSessionLookup } from '../records.js';

/** An `sts_sessions` row joined with whether its trust holds, as both dialects return it. */
export interface StsSessionRow {
  access_key_id: string;
  access_key_secret: string;
  token_hash: string;
  account_id: string;
  role_name: string;
  session_name: string;
  trustor_account_id: string;
  source_access_key_id: string;
  policy: string | null;
  source_identity: string | null;
  created_at: number;
  expires_at: number;
  /** 1 or 0, from a CASE: SQLite has no booleans, so both dialects answer an integer. */
  trusted: number;
  /** The role's account's directory, from the same join. */
  directory_id: string | null;
}

export const toStsSession = (r: StsSessionRow): StsSessionLookup => ({
  accessKeyId: r.access_key_id,
  accessKeySecret: r.access_key_secret,
  tokenHash: r.token_hash,
  accountId: r.account_id,
  roleName: r.role_name,
  sessionName: r.session_name,
  trustorAccountId: r.trustor_account_id,
  sourceAccessKeyId: r.source_access_key_id,
  policy: r.policy,
  sourceIdentity: r.source_identity,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  trusted: Number(r.trusted) === 1,
  directoryId: r.directory_id,
});
