import { SYSTEM_POLICY_ID } from '../../domain/control-policy-rules.js';
import type { Executor } from '../executor.js';
import { carriesEveryTag as pgCarriesEveryTag } from '../postgres/tag-filter.js';
import { filterJson } from '../rows/directory-state.js';
import {
  toControlPolicy,
  toControlPolicyAttachment,
  type ControlPolicyAttachmentRow,
  type ControlPolicyRow,
} from '../rows/control-policies.js';
import { carriesEveryTag as sqliteCarriesEveryTag, tagSlots } from '../sqlite/tag-filter.js';
import { statement, type Count, type NoRow } from '../statement.js';
import type { TagFilter } from '../records.js';
import type { ControlPolicyRepo } from '../store.js';

type InDirectory = { directoryId: string };
type Policy = InDirectory & { id: string; name: string; description: string; effectScope: string; document: string; createTime: number; updateTime: number };
type Paged = { limit: number; offset: number };

const ORDER = 'ORDER BY create_time, id';
/** The tag filter: SQLite's fixed slots, PostgreSQL's JSON list (src/storage/{sqlite,postgres}/tag-filter.ts). */
const SQLITE_TAGGED = `directory_id = :directoryId AND ${sqliteCarriesEveryTag('ControlPolicy', 'control_policies.id')}`;
const PG_TAGGED = `directory_id = :directoryId AND ${pgCarriesEveryTag('ControlPolicy', 'control_policies.id')}`;
type SqliteTags = InDirectory & Record<string, string | null>;
type PgTags = InDirectory & { tags: string | null };

/** The statements, exported for the storage contract suite's plan checks. */
export const statements = {
  insert: statement<NoRow, Policy>(
    `INSERT INTO control_policies (id, directory_id, name, description, effect_scope, document, create_time, update_time)
     VALUES (:id, :directoryId, :name, :description, :effectScope, :document, :createTime, :updateTime)`,
  ),
  update: statement<NoRow, InDirectory & { id: string; name: string; description: string; document: string; updateTime: number }>(
    `UPDATE control_policies SET name = :name, description = :description, document = :document, update_time = :updateTime
     WHERE directory_id = :directoryId AND id = :id`,
  ),
  delete: statement<NoRow, InDirectory & { id: string }>('DELETE FROM control_policies WHERE directory_id = :directoryId AND id = :id'),
  byId: statement<ControlPolicyRow, InDirectory & { id: string }>('SELECT * FROM control_policies WHERE directory_id = :directoryId AND id = :id'),
  byName: statement<ControlPolicyRow, InDirectory & { name: string }>('SELECT * FROM control_policies WHERE directory_id = :directoryId AND name = :name'),
  count: statement<Count, InDirectory>('SELECT count(*) AS n FROM control_policies WHERE directory_id = :directoryId'),
  page: statement<ControlPolicyRow, InDirectory & Paged>(`SELECT * FROM control_policies WHERE directory_id = :directoryId ${ORDER} LIMIT :limit OFFSET :offset`),
  // Tag filters, each dialect its own (their parameters differ); the 1,500-policy quota bounds the rows either reads.
  countTaggedSqlite: statement<Count, SqliteTags>({ sqlite: `SELECT count(*) AS n FROM control_policies WHERE ${SQLITE_TAGGED}` }),
  countTaggedPg: statement<Count, PgTags>({ postgres: `SELECT count(*) AS n FROM control_policies WHERE ${PG_TAGGED}` }),
  pageTaggedSqlite: statement<ControlPolicyRow, SqliteTags & Paged>({ sqlite: `SELECT * FROM control_policies WHERE ${SQLITE_TAGGED} ${ORDER} LIMIT :limit OFFSET :offset` }),
  pageTaggedPg: statement<ControlPolicyRow, PgTags & Paged>({ postgres: `SELECT * FROM control_policies WHERE ${PG_TAGGED} ${ORDER} LIMIT :limit OFFSET :offset` }),
  byIds: statement<ControlPolicyRow, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT * FROM control_policies WHERE directory_id = :directoryId AND ${d.in('id', 'ids')}`,
  ),
  // Counts are kept in control_policy_attachment_counts (migration 26): one row by primary key per policy.
  attachmentCounts: statement<{ policy_id: string; n: number }, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT policy_id, attachments AS n FROM control_policy_attachment_counts WHERE directory_id = :directoryId AND ${d.in('policy_id', 'ids')}`,
  ),
  countTargets: statement<Count, InDirectory & { policyId: string }>(
    `SELECT coalesce((SELECT attachments FROM control_policy_attachment_counts WHERE directory_id = :directoryId AND policy_id = :policyId), 0) AS n`,
  ),
  // What a write added: the rows its INSERT inserted (ON CONFLICT DO NOTHING leaves the others out).
  countAdded: statement<NoRow, InDirectory & { policyId: string; n: number }>(
    `INSERT INTO control_policy_attachment_counts (directory_id, policy_id, attachments) VALUES (:directoryId, :policyId, :n)
     ON CONFLICT (directory_id, policy_id) DO UPDATE SET attachments = control_policy_attachment_counts.attachments + excluded.attachments`,
  ),
  // What a delete took off, grouped by policy (at most 11 policies per target deleted): each count found by its key.
  countRemoved: statement<NoRow, InDirectory & { ids: readonly string[]; removed: string }>(
    (d) => `UPDATE control_policy_attachment_counts
     SET attachments = attachments - (SELECT CAST(gone."n" AS BIGINT) FROM ${d.records('removed', 'gone', ['policyId', 'n'])} WHERE gone."policyId" = control_policy_attachment_counts.policy_id)
     WHERE directory_id = :directoryId AND ${d.in('policy_id', 'ids')}`,
  ),
  forgetCount: statement<NoRow, InDirectory & { policyId: string }>(
    'DELETE FROM control_policy_attachment_counts WHERE directory_id = :directoryId AND policy_id = :policyId',
  ),
  forgetCounts: statement<NoRow, InDirectory>('DELETE FROM control_policy_attachment_counts WHERE directory_id = :directoryId'),
  attach: statement<NoRow, InDirectory & { targetId: string; policyId: string; targetType: string; attachTime: number }>(
    `INSERT INTO control_policy_attachments (directory_id, target_id, policy_id, target_type, attach_time)
     VALUES (:directoryId, :targetId, :policyId, :targetType, :attachTime)`,
  ),
  detach: statement<NoRow, InDirectory & { targetId: string; policyId: string }>(
    'DELETE FROM control_policy_attachments WHERE directory_id = :directoryId AND target_id = :targetId AND policy_id = :policyId',
  ),
  forTarget: statement<ControlPolicyAttachmentRow, InDirectory & { targetId: string }>(
    // At most 11 rows; among those of one millisecond (a state file's), the system policy first.
    `SELECT * FROM control_policy_attachments WHERE directory_id = :directoryId AND target_id = :targetId
     ORDER BY attach_time, CASE WHEN policy_id = '${SYSTEM_POLICY_ID}' THEN 0 ELSE 1 END, policy_id`,
  ),
  // The guardrails' chain (src/services/stored-policies.ts): at most 7 targets, each with at most 11 attachments.
  forTargets: statement<ControlPolicyAttachmentRow, InDirectory & { ids: readonly string[] }>(
    (d) => `SELECT * FROM control_policy_attachments WHERE directory_id = :directoryId AND ${d.in('target_id', 'ids')} ORDER BY attach_time, policy_id`,
  ),
  // A page by PageNumber names a position, not a key, and neither store indexes positions, so
  // the page's start is found by skipping the policy's earlier targets; the skip is bounded by
  // its targets (the folder quota plus the member quota). SQLite skips over the policy index
  // alone (its entries hold the keys), then reads the page's rows by primary key (CROSS JOIN
  // keeps that order of the loops): a plain OFFSET would look up every skipped row in the
  // WITHOUT ROWID table, 45 ms against 4 ms at page 1,000. PostgreSQL's skip fetches each
  // skipped entry's heap row for its visibility either way (until a vacuum marks the pages
  // all-visible), and on a generic plan without statistics it may join the page by the policy
  // index with a filter, a read of the range per row of the page: it keeps the plain OFFSET.
  targets: statement<ControlPolicyAttachmentRow, InDirectory & { policyId: string } & Paged>({
    sqlite: `SELECT a.* FROM (SELECT attach_time, target_id FROM control_policy_attachments WHERE directory_id = :directoryId AND policy_id = :policyId
       ORDER BY attach_time, target_id LIMIT :limit OFFSET :offset) AS page
     CROSS JOIN control_policy_attachments a
     WHERE a.directory_id = :directoryId AND a.target_id = page.target_id AND a.policy_id = :policyId
     ORDER BY page.attach_time, page.target_id`,
    postgres: `SELECT * FROM control_policy_attachments WHERE directory_id = :directoryId AND policy_id = :policyId
     ORDER BY attach_time, target_id LIMIT :limit OFFSET :offset`,
  }),
  // The next targets after a key, by the policy index (a state export reads every target of a
  // policy: seeking from the last one keeps each page's cost the same however deep it is).
  targetsAfter: statement<ControlPolicyAttachmentRow, InDirectory & { policyId: string; afterTime: number; afterTarget: string; limit: number }>(
    `SELECT * FROM control_policy_attachments WHERE directory_id = :directoryId AND policy_id = :policyId
       AND (attach_time > :afterTime OR (attach_time = :afterTime AND target_id > :afterTarget))
     ORDER BY attach_time, target_id LIMIT :limit`,
  ),
  // The Root, every folder, every member: one INSERT ... SELECT, whatever the directory's size.
  // The time is cast: PostgreSQL types a bare parameter in a SELECT list as text. "WHERE" on each arm tells SQLite's parser that ON CONFLICT belongs to the INSERT.
  attachEverywhere: statement<NoRow, InDirectory & { policyId: string; at: number }>(
    `INSERT INTO control_policy_attachments (directory_id, target_id, policy_id, target_type, attach_time)
     SELECT directory_id, id, :policyId, CASE WHEN parent_id IS NULL THEN 'Root' ELSE 'Folder' END, CAST(:at AS BIGINT) FROM folders WHERE directory_id = :directoryId
     UNION ALL
     SELECT directory_id, id, :policyId, 'Account', CAST(:at AS BIGINT) FROM accounts WHERE directory_id = :directoryId
     ON CONFLICT (directory_id, target_id, policy_id) DO NOTHING`,
  ),
  attachMany: statement<NoRow, InDirectory & { policyId: string; at: number; targets: string }>(
    (d) => `INSERT INTO control_policy_attachments (directory_id, target_id, policy_id, target_type, attach_time)
     SELECT :directoryId, t."id", :policyId, t."type", CAST(:at AS BIGINT) FROM ${d.records('targets', 't', ['id', 'type'])} WHERE true
     ON CONFLICT (directory_id, target_id, policy_id) DO NOTHING`,
  ),
  overAttached: statement<{ target_id: string }, InDirectory & { ids: readonly string[]; system: string; limit: number }>(
    (d) => `SELECT target_id FROM control_policy_attachments WHERE directory_id = :directoryId AND ${d.in('target_id', 'ids')} AND policy_id <> :system
     GROUP BY target_id HAVING count(*) > :limit`,
  ),
  detachEverything: statement<NoRow, InDirectory>('DELETE FROM control_policy_attachments WHERE directory_id = :directoryId'),
  detachTargets: statement<{ policy_id: string }, InDirectory & { ids: readonly string[] }>(
    (d) => `DELETE FROM control_policy_attachments WHERE directory_id = :directoryId AND ${d.in('target_id', 'ids')} RETURNING policy_id`,
  ),
};
const s = statements;

export function controlPolicyRepo(x: Executor): ControlPolicyRepo {
  // The tag filter's parameters differ per dialect (src/storage/{sqlite,postgres}/tag-filter.ts).
  const pgTags = (directoryId: string, tags: TagFilter[]): PgTags => ({ directoryId, tags: filterJson(tags) });
  const sqliteTags = (directoryId: string, tags: TagFilter[]): SqliteTags => ({ ...tagSlots(tags), directoryId });
  const countTagged = async (directoryId: string, tags: TagFilter[]) =>
    (x.dialect === 'postgres' ? await x.one(s.countTaggedPg, pgTags(directoryId, tags)) : await x.one(s.countTaggedSqlite, sqliteTags(directoryId, tags)))!.n;
  const pageTagged = async (directoryId: string, tags: TagFilter[], page: Paged) =>
    x.dialect === 'postgres' ? x.all(s.pageTaggedPg, { ...pgTags(directoryId, tags), ...page }) : x.all(s.pageTaggedSqlite, { ...sqliteTags(directoryId, tags), ...page });
  const added = async (directoryId: string, policyId: string, n: number) => {
    if (n > 0) await x.run(s.countAdded, { directoryId, policyId, n });
  };
  /** Takes the deleted rows' policies off their counts, one statement for them all. */
  const removed = async (directoryId: string, policyIds: string[]) => {
    if (policyIds.length === 0) return;
    const byPolicy = new Map<string, number>();
    for (const id of policyIds) byPolicy.set(id, (byPolicy.get(id) ?? 0) + 1);
    const gone = JSON.stringify([...byPolicy].map(([policyId, n]) => ({ policyId, n })));
    await x.run(s.countRemoved, { directoryId, ids: [...byPolicy.keys()], removed: gone });
  };
  return {
    async insert(p) {
      const { id, directoryId, name, description, effectScope, document, createTime, updateTime } = p;
      await x.run(s.insert, { id, directoryId, name, description, effectScope, document, createTime, updateTime });
    },
    async update(p) {
      const { id, directoryId, name, description, document, updateTime } = p;
      await x.run(s.update, { id, directoryId, name, description, document, updateTime });
    },
    async delete(directoryId, id) {
      await x.run(s.forgetCount, { directoryId, policyId: id });
      await x.run(s.delete, { directoryId, id });
    },
    async byId(directoryId, id) {
      const r = await x.one(s.byId, { directoryId, id });
      return r && toControlPolicy(r);
    },
    async byName(directoryId, name) {
      const r = await x.one(s.byName, { directoryId, name });
      return r && toControlPolicy(r);
    },
    async count(directoryId, tags) {
      return Number(tags ? await countTagged(directoryId, tags) : (await x.one(s.count, { directoryId }))!.n);
    },
    async page(directoryId, tags, { limit, offset }) {
      const rows = tags ? await pageTagged(directoryId, tags, { limit, offset }) : await x.all(s.page, { directoryId, limit, offset });
      return rows.map(toControlPolicy);
    },
    async byIds(directoryId, ids) {
      return ids.length === 0 ? [] : (await x.all(s.byIds, { directoryId, ids })).map(toControlPolicy);
    },
    async attachmentCounts(directoryId, ids) {
      if (ids.length === 0) return new Map();
      return new Map((await x.all(s.attachmentCounts, { directoryId, ids })).map((r) => [r.policy_id, Number(r.n)]));
    },
    async attach(a) {
      const { directoryId, targetId, policyId, targetType, attachTime } = a;
      await added(directoryId, policyId, await x.run(s.attach, { directoryId, targetId, policyId, targetType, attachTime }));
    },
    async detach(directoryId, targetId, policyId) {
      if ((await x.run(s.detach, { directoryId, targetId, policyId })) > 0) await removed(directoryId, [policyId]);
    },
    async forTarget(directoryId, targetId) {
      return (await x.all(s.forTarget, { directoryId, targetId })).map(toControlPolicyAttachment);
    },
    async forTargets(directoryId, targetIds) {
      return targetIds.length === 0 ? [] : (await x.all(s.forTargets, { directoryId, ids: targetIds })).map(toControlPolicyAttachment);
    },
    async countTargets(directoryId, policyId) {
      return Number((await x.one(s.countTargets, { directoryId, policyId }))!.n);
    },
    async targets(directoryId, policyId, { limit, offset }) {
      return (await x.all(s.targets, { directoryId, policyId, limit, offset })).map(toControlPolicyAttachment);
    },
    async targetsAfter(directoryId, policyId, after, limit) {
      const afterKey = after ?? { attachTime: -1, targetId: '' };
      return (await x.all(s.targetsAfter, { directoryId, policyId, afterTime: afterKey.attachTime, afterTarget: afterKey.targetId, limit })).map(toControlPolicyAttachment);
    },
    async attachEverywhere(directoryId, policyId, at) {
      await added(directoryId, policyId, await x.run(s.attachEverywhere, { directoryId, policyId, at }));
    },
    async attachMany(directoryId, policyId, targets, at) {
      if (targets.length === 0) return;
      await added(directoryId, policyId, await x.run(s.attachMany, { directoryId, policyId, at, targets: JSON.stringify(targets) }));
    },
    async overAttached(directoryId, ids, limit) {
      return ids.length === 0 ? [] : (await x.all(s.overAttached, { directoryId, ids, system: SYSTEM_POLICY_ID, limit })).map((r) => r.target_id);
    },
    async detachAll(directoryId, targetIds) {
      if (targetIds === null) {
        // Counts dropped, not counted down: exact because every writer of a directory's
        // attachments holds its lock (src/storage/locks.ts), so none adds one in between.
        await x.run(s.detachEverything, { directoryId });
        await x.run(s.forgetCounts, { directoryId });
      } else if (targetIds.length > 0) {
        await removed(directoryId, (await x.all(s.detachTargets, { directoryId, ids: targetIds })).map((r) => r.policy_id));
      }
    },
  };
}
