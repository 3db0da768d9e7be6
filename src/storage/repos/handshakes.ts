import type { Executor } from '../executor.js';
import type { HandshakeRecord } from '../records.js';
import { toHandshake, type HandshakeRow } from '../rows/handshakes.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { HandshakeRepo } from '../store.js';

type Columns = { [K in keyof Omit<HandshakeRecord, 'tags'>]: HandshakeRecord[K] } & { tags: string };
const columns = (h: HandshakeRecord): Columns => ({ ...h, tags: JSON.stringify(h.tags) });

/** The statements, exported for the storage contract suite's checks. */
export const statements = {
  insert: statement<NoRow, Columns>(
    `INSERT INTO handshakes (id, directory_id, master_account_id, master_account_name, target_type, target_entity, target_account_id,
       note, parent_folder_id, tags, status, create_time, modify_time, expire_time, ended_at)
     VALUES (:id, :directoryId, :masterAccountId, :masterAccountName, :targetType, :targetEntity, :targetAccountId,
       :note, :parentFolderId, :tags, :status, :createTime, :modifyTime, :expireTime, :endedAt)`,
  ),
  byId: statement<HandshakeRow, { id: string }>('SELECT * FROM handshakes WHERE id = :id'),
  settle: statement<NoRow, { id: string; status: string; modifyTime: number; endedAt: number | null }>(
    'UPDATE handshakes SET status = :status, modify_time = :modifyTime, ended_at = :endedAt WHERE id = :id',
  ),
  // The accepted invitation of a member that leaves: retention counts from its leaving.
  endAccepted: statement<NoRow, { directoryId: string; accountId: string; endedAt: number }>(
    `UPDATE handshakes SET ended_at = :endedAt
      WHERE target_account_id = :accountId AND status = 'Accepted' AND ended_at IS NULL AND directory_id = :directoryId`,
  ),
  // The rate limits count no further than their cap, from the (directory, created) index.
  sentSince: statement<Count, { directoryId: string; since: number; cap: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM handshakes
      WHERE directory_id = :directoryId AND create_time > :since AND status <> 'Accepted' LIMIT :cap) sent`,
  ),
  sentToSince: statement<Count, { directoryId: string; accountId: string; since: number; cap: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM handshakes
      WHERE target_account_id = :accountId AND create_time > :since AND directory_id = :directoryId LIMIT :cap) sent`,
  ),
  pendingOf: statement<Count, { directoryId: string; now: number; cap: number }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM handshakes
      WHERE directory_id = :directoryId AND status = 'Pending' AND expire_time > :now LIMIT :cap) pending`,
  ),
  pendingTo: statement<HandshakeRow, { directoryId: string; accountId: string; now: number }>(
    `SELECT * FROM handshakes
      WHERE target_account_id = :accountId AND status = 'Pending' AND expire_time > :now AND directory_id = :directoryId LIMIT 1`,
  ),
  countOfDirectory: statement<Count, { directoryId: string }>('SELECT count(*) AS n FROM handshakes WHERE directory_id = :directoryId'),
  pageOfDirectory: statement<HandshakeRow, { directoryId: string; limit: number; offset: number }>(
    'SELECT * FROM handshakes WHERE directory_id = :directoryId ORDER BY create_time DESC, id DESC LIMIT :limit OFFSET :offset',
  ),
  // Both sides of an account: invitations addressed to it, and those its directory sent (each side from its own index).
  countOfAccount: statement<Count, { accountId: string; directoryId: string }>(
    `SELECT count(*) AS n FROM (SELECT id FROM handshakes WHERE target_account_id = :accountId
       UNION SELECT id FROM handshakes WHERE directory_id = :directoryId) mine`,
  ),
  pageOfAccount: statement<HandshakeRow, { accountId: string; directoryId: string; limit: number; offset: number }>(
    `SELECT * FROM handshakes WHERE id IN (SELECT id FROM handshakes WHERE target_account_id = :accountId
       UNION SELECT id FROM handshakes WHERE directory_id = :directoryId)
      ORDER BY create_time DESC, id DESC LIMIT :limit OFFSET :offset`,
  ),
};
const s = statements;

export function handshakeRepo(x: Executor): HandshakeRepo {
  const page = async (rows: Promise<HandshakeRow[]>) => (await rows).map(toHandshake);
  return {
    async insert(h) {
      await x.run(s.insert, columns(h));
    },
    async byId(id) {
      const r = await x.one(s.byId, { id });
      return r && toHandshake(r);
    },
    async settle(id, status, modifyTime, endedAt) {
      await x.run(s.settle, { id, status, modifyTime, endedAt });
    },
    async endAccepted(directoryId, accountId, endedAt) {
      await x.run(s.endAccepted, { directoryId, accountId, endedAt });
    },
    async sentSince(directoryId, since, cap) {
      return Number((await x.one(s.sentSince, { directoryId, since, cap }))?.n ?? 0);
    },
    async sentToSince(directoryId, accountId, since, cap) {
      return Number((await x.one(s.sentToSince, { directoryId, accountId, since, cap }))?.n ?? 0);
    },
    async pendingCount(directoryId, now, cap) {
      return Number((await x.one(s.pendingOf, { directoryId, now, cap }))?.n ?? 0);
    },
    async pendingTo(directoryId, accountId, now) {
      const r = await x.one(s.pendingTo, { directoryId, accountId, now });
      return r && toHandshake(r);
    },
    async ofDirectory(directoryId, p) {
      const total = Number((await x.one(s.countOfDirectory, { directoryId }))?.n ?? 0);
      return { total, items: await page(x.all(s.pageOfDirectory, { directoryId, ...p })) };
    },
    async ofAccount(accountId, directoryId, p) {
      const total = Number((await x.one(s.countOfAccount, { accountId, directoryId }))?.n ?? 0);
      return { total, items: await page(x.all(s.pageOfAccount, { accountId, directoryId, ...p })) };
    },
  };
}
