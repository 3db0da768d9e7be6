import type { Executor } from '../executor.js';
import { toStsSession, type StsSessionRow } from '../rows/sts-sessions.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { StsSessionRepo } from '../store.js';
import type { StsSessionRecord } from '../records.js';

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  // A mapped copy of the record type: a parameters type must be a type literal (src/storage/statement.ts).
  insert: statement<NoRow, { [K in keyof StsSessionRecord]: StsSessionRecord[K] }>(
    `INSERT INTO sts_sessions (access_key_id, access_key_secret, token_hash, account_id, role_name, session_name, trustor_account_id,
       source_access_key_id, policy, source_identity, created_at, expires_at)
     VALUES (:accessKeyId, :accessKeySecret, :tokenHash, :accountId, :roleName, :sessionName, :trustorAccountId,
       :sourceAccessKeyId, :policy, :sourceIdentity, :createdAt, :expiresAt)`,
  ),
  // Counts up to `cap` only: the answer is "under the cap or not", read from the trustor index.
  liveOf: statement<Count, { trustorAccountId: string; now: number; cap: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM sts_sessions WHERE trustor_account_id = :trustorAccountId AND expires_at > :now LIMIT :cap) live`,
  ),
  // Every lookup by primary key: the session, its account, that account's directory. The trust
  // of the member's role is read here, on every use, so a member that left (or was deleted)
  // stops acting through sessions issued before.
  byAccessKeyId: statement<StsSessionRow, { accessKeyId: string }>(
    `SELECT s.*, CASE WHEN d.master_account_id = s.trustor_account_id THEN 1 ELSE 0 END AS trusted, a.directory_id
       FROM sts_sessions s
       LEFT JOIN accounts a ON a.id = s.account_id
       LEFT JOIN directories d ON d.id = a.directory_id
      WHERE s.access_key_id = :accessKeyId`,
  ),
};
const s = statements;

export function stsSessionRepo(x: Executor): StsSessionRepo {
  return {
    async insert(r) {
      await x.run(s.insert, { ...r });
    },
    async liveCount(trustorAccountId, now, cap) {
      return Number((await x.one(s.liveOf, { trustorAccountId, now, cap }))?.n ?? 0);
    },
    async byAccessKeyId(accessKeyId) {
      const r = await x.one(s.byAccessKeyId, { accessKeyId });
      return r && toStsSession(r);
    },
  };
}
