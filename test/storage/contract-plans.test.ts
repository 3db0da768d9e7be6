import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { statements as accounts } from '../../src/storage/repos/accounts.js';
import { statements as accountScan } from '../../src/storage/sqlite/account-scan.js';
import { statements as folders } from '../../src/storage/repos/folders.js';
import { statements as controlPolicies } from '../../src/storage/repos/control-policies.js';
import { statements as delegations } from '../../src/storage/repos/delegations.js';
import { statements as handshakes } from '../../src/storage/repos/handshakes.js';
import { statements as tagState } from '../../src/storage/repos/directory-state.js';
import { statements as tagNames } from '../../src/storage/repos/tag-names.js';
import { tagSlots } from '../../src/storage/sqlite/tag-filter.js';
import { auditList } from '../../src/storage/repos/audit.js';
import { statements as centers } from '../../src/storage/repos/message-centers.js';
import { statements as jobs } from '../../src/storage/repos/jobs.js';
import { statements as outbox } from '../../src/storage/repos/outbox.js';
import { statements as sessions } from '../../src/storage/repos/console-sessions.js';
import type { AuditDriver } from '../../src/storage/rows/audit.js';
import type { AuditQuery } from '../../src/storage/store.js';
import type { DialectName, Params, Statement } from '../../src/storage/statement.js';
import { createTestDatabase, postgresReachable, warnPostgresMissing, type TestDatabase } from '../helpers/database.js';

/**
 * The storage contract at 100,000 accounts: the statements a fan-out, a deletion or a
 * member list runs once per batch or page are served by an index on both stores (no full
 * scan of a table that grows with the directory, no sort of it), and both stores have the
 * same indexes. Plans, not timings: they hold on any machine.
 */

const GROWING = /^(accounts|message_center_entries|message_center_owners|resource_tags|audit_records|audit_targets|delegated_administrators|control_policy_attachments|handshakes)$/;
/** Two tag conditions (one on the key alone), as ListAccounts' Tag.N filter sends them. */
const tagConditions = JSON.stringify([{ k: 'env', v: 'prod' }, { k: 'team', v: null }]);
/** The same conditions in SQLite's slots, and no condition. */
const slots = tagSlots([{ key: 'env', value: 'prod' }, { key: 'team', value: null }]);
const noSlots = tagSlots(null);
const ids = ['1000000000000001', '1000000000000002'];
/** A window of a filtered list: after one place, up to another. */
const window = { fromTime: 1, fromSeq: 1, toTime: 9, toSeq: 9 };
const entry = { accountId: ids[0], contactId: 'c-1', source: 'Inherited', via: '[]', name: null, email: null, phone: null, messageTypes: null };

/** Each hot statement with parameters of the right types, by the name the repos give it. */
const sqliteHot: Record<string, [string, unknown[]]> = {
  // A walk of the primary key from its end that stops at the limit: no sort is what bounds it.
  // Whether an unbind still fans out under a member about to move: the directory's lane only.
  // Every worker's every claim, and each job's turn when it is queued and after each batch.
  // A scrape's gauges (src/observability/cluster-gauges.ts): bounded walks of index ranges.
  // Retries (docs/operations.md, Redrive): a batch of the failed jobs in time order, a delivery's job, the failed deliveries.
  // Every console page a login session opens.
};

/** A page of the audit trail driven by each of its indexes, every other filter set too. */
const auditQuery = (driver: AuditDriver): AuditQuery => ({
  from: 1, before: { at: 9, seq: 9 }, limit: 51,
  target: driver === 'target' ? 'c-1' : null,
  actor: ['target', 'actor'].includes(driver) ? 'key' : null,
  action: driver !== 'failed' && driver !== 'time' ? 'AddMessageContact' : null,
  failed: driver === 'time' ? false : true,
});
const DRIVERS: AuditDriver[] = ['target', 'actor', 'action', 'failed', 'time'];

/**
 * The hot statements of the shared repos (src/storage/repos/), with the same parameters on
 * both stores: each store's check runs the statement's form for its dialect.
 */
const sharedHot = (dialect: DialectName): Record<string, [string, unknown[]]> => {
  const form = <P extends Params>(s: Statement<object, P>, params: P): [string, unknown[]] => {
    const r = s.for(dialect);
    return [r.text, r.values(params)];
  };
  const schedule = { held: false, runAt: 1 };
  return {
    'messageCenters.forAccounts': form(centers.forAccounts, { accountIds: ids }),
    'messageCenters.ownerTypesFor': form(centers.ownerTypesFor, { accountIds: ids }),
    'messageCenters.batchForContact': form(centers.batchForContact, { contactId: 'c-1', afterAccountId: '', limit: 500 }),
    'messageCenters.upsertMany': form(centers.upsertMany, { entries: JSON.stringify([entry]) }),
    'messageCenters.deleteMany': form(centers.deleteMany, { keys: JSON.stringify([{ accountId: ids[0], contactId: 'c-1' }]) }),
    // A walk of the primary key from its end that stops at the limit: no sort is what bounds it.
    'jobs.list': form(jobs.list, { limit: 100 }),
    // Whether an unbind still fans out under a member about to move: the directory's lane only.
    'jobs.pendingInLane': form(jobs.pendingInLane, { lane: 'rd-1', kind: 'message-center.sync' }),
    // Every worker's every claim, and each job's turn when it is queued and after each batch.
    'jobs.claim': form(jobs.claim, { owner: 'w', now: 1, staleBefore: 0 }),
    'jobs.insert': form(jobs.insert, {
      kind: 'message-center.sync', payload: '{}', contactId: null, runAt: 1, held: false, createdAt: 1, lane: 'rd-1', outboxId: null,
    }),
    'jobs.reschedule': form(jobs.reschedule, { id: 1, payload: '{}', runAt: 1, attempts: 0, lastError: null }),
    // A scrape's gauges (src/observability/cluster-gauges.ts): bounded walks of index ranges.
    'jobs.census': form(jobs.census, { kinds: ['delivery.send'], cap: 10 }),
    'outbox.census': form(outbox.census, { channels: ['email'], cap: 10 }),
    // Retries (docs/operations.md, Redrive): a batch of the failed jobs in time order, a delivery's job, the failed deliveries.
    'jobs.redriveBatch': form(jobs.redriveBatch, { ...schedule, afterAt: 0, afterId: 0, until: 9, kinds: ['delivery.send'], limit: 500 }),
    'jobs.redriveOne': form(jobs.redriveOne, { ...schedule, id: 1 }),
    'jobs.redriveDeliveries': form(jobs.redriveDeliveries, { ...schedule, ids: ['o-1'] }),
    'jobs.enqueueDeliveries': form(jobs.enqueueDeliveries, { ...schedule, createdAt: 1, ids: ['o-1'] }),
    'outbox.failedAfter': form(outbox.failedAfter, { afterAt: 0, afterId: '', limit: 500 }),
    'outbox.failedOfMessage': form(outbox.failedOfMessage, { messageId: 'm-1', limit: 500 }),
    'outbox.redrive': form(outbox.redrive, { ids: ['o-1'] }),
    // Every console page a login session opens.
    'consoleSessions.byHash': form(sessions.byHash, { secretHash: '0'.repeat(64) }),
    ...Object.fromEntries(DRIVERS.map((driver) => {
      const { statement, params } = auditList(auditQuery(driver), dialect);
      return [`audit.list.${driver}`, form(statement, params)];
    })),
  };
};
Object.assign(sqliteHot, sharedHot('sqlite'));

const pgHot: Record<string, [string, unknown[]]> = {
  ...sharedHot('postgres'),
};

/** A shared repo's hot statement (src/storage/repos/), on each store it has a form for. */
function hot(name: string, statement: Statement<object, Params>, params: Params) {
  const stores: Record<DialectName, Record<string, [string, unknown[]]>> = { sqlite: sqliteHot, postgres: pgHot };
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (statement[dialect]) stores[dialect][name] = [statement.for(dialect).text, statement.for(dialect).values(params)];
  }
}

const tagPage = { directoryId: 'rd-1', type: 'Account', from: ids[0]!, limit: 11 };
hot('tags.page', tagState.tagPage, { directoryId: 'rd-1', type: 'Account', ids: null, filter: null, afterId: ids[0]!, afterKey: 'env', limit: 11 });
// ListTagResources with a filter: one seek per condition, in resource order, cut at the page's size.
hot('tags.pageOfPair', tagState.tagPageOfPair, { ...tagPage, key: 'env', value: 'prod' });
hot('tags.pageOfKey', tagState.tagPageOfKey, { ...tagPage, key: 'env' });
hot('tags.pageOfConditions', tagState.tagPageOfConditions, { ...tagPage, filter: tagConditions });
// ListTagKeys and ListTagValues: one seek per distinct name of the page.
const namePage = { directoryId: 'rd-1', type: 'Account', from: 'env', skipFirst: 1, prefix: 'e', prefixLength: 1, limit: 11 };
hot('tags.keys', tagNames.keys, namePage);
hot('tags.values', tagNames.values, { ...namePage, key: 'env' });
// Delegated administrators: a directory's (or one service's) by the primary key, a member's by the account index.
hot('delegations.page', delegations.page, { directoryId: 'rd-1', servicePrincipal: 'config.aliyuncs.com', offset: 0, limit: 10 });
hot('delegations.count', delegations.count, { directoryId: 'rd-1', servicePrincipal: null });
hot('delegations.ofAccount', delegations.ofAccount, { directoryId: 'rd-1', accountId: ids[0]!, after: '', limit: 2 });
hot('delegations.enabledServices', delegations.enabledServices, { directoryId: 'rd-1', offset: 0, limit: 10 });
// Control policies: the system policy is attached to every folder and member while the switch is on, so its
// attachments are read by the policy index, a leaving target's dropped by the primary key. (A target's own
// list sorts its at most 11 attachments.)
const cp = { directoryId: 'rd-1', policyId: 'cp-FullAliyunAccess' };
hot('controlPolicies.countTargets', controlPolicies.countTargets, cp);
hot('controlPolicies.targets', controlPolicies.targets, { ...cp, limit: 10, offset: 0 });
hot('controlPolicies.targetsAfter', controlPolicies.targetsAfter, { ...cp, afterTime: 0, afterTarget: '', limit: 10 });
hot('controlPolicies.attachmentCounts', controlPolicies.attachmentCounts, { directoryId: 'rd-1', ids: ['cp-FullAliyunAccess', 'cp-1'] });
hot('controlPolicies.detach', controlPolicies.detach, { directoryId: 'rd-1', targetId: ids[0]!, policyId: 'cp-1' });
hot('controlPolicies.detachTargets', controlPolicies.detachTargets, { directoryId: 'rd-1', ids });
// The kept counts (migration 26): AttachmentCount and TotalCount read, and every attachment write keeps, one row by key per policy.
hot('controlPolicies.countAdded', controlPolicies.countAdded, { ...cp, n: 1 });
hot('controlPolicies.countRemoved', controlPolicies.countRemoved, { directoryId: 'rd-1', ids: ['cp-1'], removed: JSON.stringify([{ policyId: 'cp-1', n: 1 }]) });
hot('controlPolicies.overAttached', controlPolicies.overAttached, { directoryId: 'rd-1', ids, system: 'cp-FullAliyunAccess', limit: 10 });
// Invitations: a directory's by its index, an account's by the target index, each rate bound cut at its cap.
// (The lists sort what one directory sent or one account received: invitations only reach the
// standalone accounts RDMC_ACCESS_KEYS configures, and the rates and retention bound the rest.)
const sent = { directoryId: 'rd-1', accountId: ids[0]! };
hot('handshakes.pendingOf', handshakes.pendingOf, { directoryId: 'rd-1', now: 1, cap: 20 });
hot('handshakes.pendingTo', handshakes.pendingTo, { ...sent, now: 1 });
hot('handshakes.sentSince', handshakes.sentSince, { directoryId: 'rd-1', since: 1, cap: 20 });
hot('handshakes.sentToSince', handshakes.sentToSince, { ...sent, since: 1, cap: 20 });
hot('handshakes.endAccepted', handshakes.endAccepted, { ...sent, endedAt: 1 });

const d = { directoryId: 'rd-1' };
const folder = { ...d, folderId: 'fd-1' };
/** A filter on PostgreSQL: a keyword, tag conditions (JSON), or both. */
const pgMatch = { keyword: 'x', tags: null };
const pgTags = { keyword: null, tags: tagConditions };
/** A filter in SQLite's slots. */
const lite = { keyword: null, ...slots };
const liteKeyword = { keyword: 'x', ...noSlots };
const windowIn = { ...window, directoryId: 'rd-1' };
hot('accounts.batchAll', accounts.batchAll, { ...d, afterId: '', limit: 500 });
hot('accounts.batchInFolder', accounts.batchInFolder, { ...folder, afterId: '', limit: 500 });
// Unfiltered lists and counts: each scope's join-order index alone, on both stores.
hot('accounts.listAfter', accounts.listAfter, { ...d, afterTime: 1, afterSeq: 1, limit: 10 });
hot('accounts.list', accounts.list, { ...d, limit: 10, offset: 0 });
hot('accounts.listInFolder', accounts.listInFolder, { ...folder, limit: 10, offset: 0 });
hot('accounts.count', accounts.count, d);
hot('accounts.countInFolder', accounts.countInFolder, folder);
// Filtered lists on PostgreSQL: one statement each; the tag conditions are probes per account.
hot('accounts.listAfterMatching', accounts.listAfterMatching, { ...d, ...pgTags, afterTime: 1, afterSeq: 1, limit: 10 });
hot('accounts.listMatching', accounts.listMatching, { ...d, ...pgMatch, limit: 10, offset: 0 });
hot('accounts.listMatchingInFolder', accounts.listMatchingInFolder, { ...folder, ...pgTags, limit: 10, offset: 0 });
hot('accounts.countMatching', accounts.countMatching, { ...d, ...pgTags });
hot('accounts.countMatchingInFolder', accounts.countMatchingInFolder, { ...folder, ...pgMatch });
// Display names are unique in a directory: every create, rename and state file asks.
hot('accounts.byDisplayName', accounts.byDisplayName, { ...d, displayName: 'Alice' });
// The console's account search and its folders' member counts: index ranges cut at a bound.
hot('accounts.byNamePrefix', accounts.byNamePrefix, { ...d, from: 'Al', to: 'Al\u{10FFFF}', skip: '', limit: 51 });
hot('accounts.countInFolders', accounts.countInFolders, { ...d, folderIds: ['fd-1', 'fd-2'], cap: 1001 });
// The member quota's count, before every account created.
hot('accounts.countMembers', accounts.countMembers, { ...d, exceptId: ids[0]! });
// A filtered list's steps on SQLite: window by window, or from a rare tag.
hot('accounts.windowEnd', accountScan.windowEnd, { ...d, fromTime: 1, fromSeq: 1, size: 100 });
hot('accounts.windowEndInFolder', accountScan.windowEndInFolder, { ...folder, fromTime: 1, fromSeq: 1, size: 100 });
hot('accounts.windowCount', accountScan.windowCount, { ...windowIn, ...liteKeyword, ...slots });
hot('accounts.windowCountInFolder', accountScan.windowCountInFolder, { ...windowIn, folderId: 'fd-1', ...lite });
hot('accounts.windowRows', accountScan.windowRows, { ...windowIn, ...lite, skip: 0, limit: 10 });
hot('accounts.windowRowsInFolder', accountScan.windowRowsInFolder, { ...windowIn, folderId: 'fd-1', ...liteKeyword, skip: 0, limit: 10 });
hot('accounts.drivenByPair', accountScan.drivenByPair, { ...d, folderId: null, ...lite, key: 'env', value: 'prod' });
hot('accounts.drivenByKey', accountScan.drivenByKey, { ...folder, ...lite, key: 'team' });
hot('accounts.taggedWithPair', accountScan.taggedWithPair, { ...d, key: 'env', value: 'prod', bound: 100 });
hot('accounts.taggedWithKey', accountScan.taggedWithKey, { ...d, key: 'env', bound: 100 });
// The folder quota's count, before every folder created.
hot('folders.count', folders.count, d);
// ListFoldersForParent with a filter: window by window on SQLite, one statement on PostgreSQL.
const parent = { ...d, parentId: 'r-1' };
hot('folders.childWindowEnd', folders.childWindowEnd, { ...parent, fromTime: 1, fromSeq: 1, size: 100 });
hot('folders.childWindowCount', folders.childWindowCount, { ...windowIn, parentId: 'r-1', ...liteKeyword, ...slots });
hot('folders.childWindowRows', folders.childWindowRows, { ...windowIn, parentId: 'r-1', ...lite, skip: 0, limit: 10 });
hot('folders.childrenMatching', folders.childrenMatching, { ...parent, ...pgTags, limit: 10, offset: 0 });
hot('folders.countChildrenMatching', folders.countChildrenMatching, { ...parent, ...pgMatch });

/**
 * Statements one store has and the other does not: SQLite reads a filtered list in bounded
 * steps on its one connection (windows, or a rare tag first); PostgreSQL runs it as one
 * statement on a connection of its own, cut at the request's deadline. ListTagResources'
 * per-condition seeks are one statement on PostgreSQL (a LATERAL join), one per condition on SQLite.
 */
const ONE_STORE = new Set([
  'accounts.windowEnd', 'accounts.windowEndInFolder', 'accounts.windowCount', 'accounts.windowCountInFolder',
  'accounts.windowRows', 'accounts.windowRowsInFolder', 'accounts.drivenByPair', 'accounts.drivenByKey',
  'accounts.taggedWithPair', 'accounts.taggedWithKey', 'tags.pageOfPair', 'tags.pageOfKey', 'tags.pageOfConditions',
  'folders.childWindowEnd', 'folders.childWindowCount', 'folders.childWindowRows',
  'accounts.listMatching', 'accounts.listMatchingInFolder', 'accounts.countMatching', 'accounts.countMatchingInFolder',
  'accounts.listAfterMatching', 'folders.childrenMatching', 'folders.countChildrenMatching',
]);

test('every hot statement has a plan check on both stores', () => {
  const shared = (names: string[]) => names.filter((n) => !ONE_STORE.has(n)).sort();
  assert.deepEqual(shared(Object.keys(pgHot)), shared(Object.keys(sqliteHot)));
});

/**
 * Statements that must find their rows by a column (an equality or a range in the index
 * condition), not merely avoid a full scan: a folder's page walking the directory's join
 * order and filtering would read the whole directory for a folder of ten members, with no
 * scan in its plan.
 */
const SEEKS: Record<string, Array<[table: string, column: string]>> = {
  // A NextToken page starts where the token points, not after reading every account before
  // it; each of its tag conditions is a probe of the account's own tags.
  'accounts.listAfter': [['accounts', 'join_time']],
  'accounts.listAfterMatching': [['accounts', 'join_time'], ['resource_tags', 'resource_id']],
  'accounts.listInFolder': [['accounts', 'folder_id']],
  'accounts.countInFolder': [['accounts', 'folder_id']],
  'accounts.listMatchingInFolder': [['accounts', 'folder_id'], ['resource_tags', 'resource_id']],
  'accounts.countMatchingInFolder': [['accounts', 'folder_id']],
  'accounts.countMatching': [['resource_tags', 'resource_id']],
  'folders.childrenMatching': [['folders', 'parent_id'], ['resource_tags', 'resource_id']],
  'folders.countChildrenMatching': [['folders', 'parent_id']],
  // The quota counts one directory's folders, not every tenant's.
  'folders.count': [['folders', 'directory_id']],
  'accounts.byDisplayName': [['accounts', 'display_name']],
  'accounts.byNamePrefix': [['accounts', 'display_name']],
  'accounts.countInFolders': [['accounts', 'folder_id']],
  'tags.pageOfPair': [['resource_tags', 'tag_value']],
  'tags.pageOfKey': [['resource_tags', 'tag_key']],
  'tags.keys': [['resource_tags', 'tag_key']],
  // On empty tables PostgreSQL prices the key index like the pair index for one key's least value.
  'tags.values': [['resource_tags', 'tag_key']],
  'delegations.page': [['delegated_administrators', 'directory_id']],
  'delegations.count': [['delegated_administrators', 'directory_id']],
  'delegations.ofAccount': [['delegated_administrators', 'account_id']],
  'delegations.enabledServices': [['delegated_administrators', 'directory_id']],
  // On empty tables the pair and key indexes cost alike for a key-and-value branch.
  'tags.pageOfConditions': [['resource_tags', 'tag_key']],
  // Both ends of a window are seeks in the join order; its accounts' tags are probes.
  'accounts.windowEnd': [['accounts', 'join_time']],
  'accounts.windowEndInFolder': [['accounts', 'folder_id']],
  'accounts.windowCount': [['accounts', 'join_time'], ['resource_tags', 'resource_id']],
  'accounts.windowCountInFolder': [['accounts', 'folder_id'], ['resource_tags', 'resource_id']],
  'accounts.windowRows': [['accounts', 'join_time'], ['resource_tags', 'resource_id']],
  'accounts.windowRowsInFolder': [['accounts', 'folder_id']],
  // A rare tag's accounts: found by the tag, then each by its ID.
  'accounts.drivenByPair': [['resource_tags', 'tag_value'], ['accounts', 'id']],
  'accounts.drivenByKey': [['resource_tags', 'tag_key'], ['accounts', 'id']],
  'accounts.taggedWithPair': [['resource_tags', 'tag_value']],
  'accounts.taggedWithKey': [['resource_tags', 'tag_key']],
  'folders.childWindowEnd': [['folders', 'create_time']],
  'folders.childWindowCount': [['folders', 'create_time'], ['resource_tags', 'resource_id']],
  'folders.childWindowRows': [['folders', 'create_time'], ['resource_tags', 'resource_id']],
  'accounts.countMembers': [['directory_account_counts', 'directory_id']],
  // The claim reads the queue in turn order from the waiting jobs only; a turn is two seeks.
  'jobs.claim': [['jobs', 'state']],
  'jobs.insert': [['jobs', 'lane']],
  'jobs.reschedule': [['jobs', 'lane']],
  'consoleSessions.byHash': [['console_sessions', 'secret_hash']],
  // Each count and the oldest due job are ranges of one kind's jobs, not a walk of every job.
  'jobs.census': [['jobs', 'kind']],
  'outbox.census': [['outbox_messages', 'delivery']],
  // A page of the audit trail reads its driving index from the cursor back, whatever it filters besides.
  'audit.list.target': [['audit_targets', 'target_id']],
  'audit.list.actor': [['audit_records', 'actor']],
  'audit.list.action': [['audit_records', 'action']],
  'audit.list.failed': [['audit_records', 'at']],
  'audit.list.time': [['audit_records', 'at']],
  // A bulk retry reads the failed jobs from their own index in time order; a delivery finds its job by index.
  // (Retrying deliveries by their jobs' outbox IDs, or a message's failed copies, is checked for
  // scans only: on empty tables PostgreSQL's generic plan prices ten probes of jobs_outbox above
  // the failed jobs' range, and the empty failed deliveries' index above the message's.)
  'jobs.redriveBatch': [['jobs', 'failed_at'], ['jobs', 'lane']],
  'jobs.enqueueDeliveries': [['jobs', 'outbox_id']],
  'outbox.failedAfter': [['outbox_messages', 'created_at']],
  // A page of a policy's targets skips over the policy's index range, never another policy's.
  'controlPolicies.targets': [['control_policy_attachments', 'policy_id']],
  // A state export's next page of a policy's targets seeks from the last one, by the same index.
  'controlPolicies.targetsAfter': [['control_policy_attachments', 'policy_id']],
};

/**
 * Counts read or kept by primary key: the system policy is attached to every folder and member,
 * so counting its attachments would read 100,000 index entries per GetControlPolicy.
 */
const BY_PRIMARY_KEY: Record<string, string> = {
  'controlPolicies.countTargets': 'control_policy_attachment_counts',
  'controlPolicies.attachmentCounts': 'control_policy_attachment_counts',
  'controlPolicies.countRemoved': 'control_policy_attachment_counts',
};

/** The names the statements give a table (SQLite's plans show those, not the table's). */
const ALIASES: Record<string, string[]> = { resource_tags: ['t', 'u'], audit_targets: ['t'], audit_records: ['r'], jobs: ['j'], delegated_administrators: ['g'] };

/**
 * The job table grows with the work queued (a loop of bindings queues a fan-out each), so the
 * statements every claim and every batch run must not scan it either; the admin list walks
 * the primary key from its end and stops at its limit.
 */
const scansGrowing = (name: string, table: string) => GROWING.test(table) || (table === 'jobs' && name !== 'jobs.list');

/** An index as both stores can describe it: table, columns in order, unique or not. */
type IndexShape = string;
/** How an index's expression (attribute 0 on PostgreSQL, a nameless column on SQLite) is shown. */
const EXPRESSION = '(expression)';
const shape = (table: string, columns: string[], unique: boolean, partial: boolean): IndexShape =>
  `${table}(${columns.join(', ')})${unique ? ' unique' : ''}${partial ? ' partial' : ''}`;
/**
 * The PostgreSQL column that stands for SQLite's rowid, by table: SQLite ends every index
 * with the rowid and needs no index of its own for it, so PostgreSQL's are compared without it.
 */
const ROWID: Record<string, string> = { outbox_messages: 'seq', contacts: 'seq', folders: 'seq', accounts: 'seq' };
const withoutRowid = (table: string, columns: string[]) => (ROWID[table] && columns.at(-1) === ROWID[table] ? columns.slice(0, -1) : columns);

/** A parameter as an SQL literal for EXECUTE: text that PostgreSQL casts to the prepared parameter's type. */
function literal(client: pg.Client, value: unknown): string {
  if (value === null) return 'NULL';
  const element = (v: unknown) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`);
  return client.escapeLiteral(Array.isArray(value) ? `{${value.map(element).join(',')}}` : String(value));
}

describe('query plans and indexes on both stores', () => {
  let sqlite: TestDatabase | undefined;
  let postgres: TestDatabase | undefined;
  let sqliteIndexes: Map<string, IndexShape[]>;

  before(async () => {
    sqlite = await createTestDatabase('sqlite');
    // Opening the store applies the migrations; then the file is free for a plain connection.
    await (await sqlite.open()).close();
    if (await postgresReachable()) {
      postgres = await createTestDatabase('postgres');
      await (await postgres.open()).close();
    }
  });
  after(async () => {
    await sqlite?.drop();
    await postgres?.drop();
  });

  test('SQLite: no scan or temporary sort of a growing table in any hot statement, no index twice', () => {
    const db = new Database(sqlite!.db, { readonly: true });
    try {
      for (const [name, [text, params]] of Object.entries(sqliteHot)) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
        const scans = plan.filter((d) => /^SCAN (\w+)/.test(d) && scansGrowing(name, /^SCAN (\w+)/.exec(d)![1]!));
        assert.deepEqual(scans, [], `${name} scans a growing table: ${plan.join(' | ')}`);
        assert.ok(!plan.some((d) => d.includes('TEMP B-TREE')), `${name} sorts: ${plan.join(' | ')}`);
        for (const [table, column] of SEEKS[name] ?? []) {
          const seek = new RegExp(`^SEARCH (${[table, ...(ALIASES[table] ?? [])].join('|')}) .*\\b${column}[=<>]`);
          assert.ok(plan.some((d) => seek.test(d)), `${name} does not seek ${table} by ${column}: ${plan.join(' | ')}`);
        }
        const keyed = BY_PRIMARY_KEY[name];
        if (keyed) assert.ok(plan.some((d) => d.startsWith(`SEARCH ${keyed} USING PRIMARY KEY (directory_id=? AND policy_id=?)`)), `${name} does not read ${keyed} by its key: ${plan.join(' | ')}`);
      }
      sqliteIndexes = new Map();
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
      for (const { name: table } of tables) {
        const list = db.prepare(`PRAGMA index_list(${JSON.stringify(table)})`).all() as Array<{ name: string; unique: number; origin: string; partial: number }>;
        sqliteIndexes.set(table, list.filter((i) => i.origin !== 'pk').map((i) => {
          // An expression (lower(to_address), say) has no column name: both stores show it alike.
          const columns = (db.prepare(`PRAGMA index_info(${JSON.stringify(i.name)})`).all() as Array<{ name: string | null }>).map((c) => c.name ?? EXPRESSION);
          return shape(table, columns, i.unique === 1, i.partial === 1);
        }).sort());
        // An index twice over serves nothing the first does not, and costs every write; the
        // PostgreSQL test below holds that store to the same list, so once is checked for both.
        const shapes = sqliteIndexes.get(table)!;
        assert.deepEqual(shapes.filter((s, i) => shapes.indexOf(s) !== i), [], `${table} has the same index twice`);
      }
    } finally {
      db.close();
    }
  });

  test('PostgreSQL: no sequential scan or sort of a growing table in any hot statement; the same indexes as SQLite', async (t) => {
    if (!postgres) return t.skip(warnPostgresMissing('the PostgreSQL plan checks'));
    const client = new pg.Client({ connectionString: postgres.db });
    await client.connect();
    try {
      // On empty tables a scan and a sort are the cheapest plan; priced out, a scan or sort
      // that is left is one no index can replace (what a large directory would pay for).
      await client.query('SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');
      // rdmc's statements are prepared once per connection, so PostgreSQL may run them on a
      // generic plan, made without the parameters' values: that is the plan checked here.
      await client.query('SET plan_cache_mode = force_generic_plan');
      for (const [name, [text, params]] of Object.entries(pgHot)) {
        await client.query(`PREPARE hot AS ${text}`);
        const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) EXECUTE hot(${params.map((v) => literal(client, v)).join(', ')})`);
        await client.query('DEALLOCATE hot');
        const nodes: Array<Record<string, unknown>> = [];
        const walk = (n: Record<string, unknown>) => {
          nodes.push(n);
          for (const child of (n.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
        };
        walk((rows[0]!['QUERY PLAN'] as Array<{ Plan: Record<string, unknown> }>)[0]!.Plan);
        const described = nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`).join(' | ');
        const scans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && scansGrowing(name, String(n['Relation Name'])));
        assert.deepEqual(scans, [], `${name} scans a growing table: ${described}`);
        assert.ok(!nodes.some((n) => n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort'), `${name} sorts: ${described}`);
        for (const [table, column] of SEEKS[name] ?? []) {
          const seeks = nodes.some((n) => n['Relation Name'] === table && String(n['Index Cond'] ?? '').includes(column));
          assert.ok(seeks, `${name} does not seek ${table} by ${column}: ${described}`);
        }
        const keyed = BY_PRIMARY_KEY[name];
        if (keyed) {
          const byKey = nodes.some((n) => n['Relation Name'] === keyed && n['Index Name'] === `${keyed}_pkey` && /directory_id.*policy_id/.test(String(n['Index Cond'] ?? '')));
          assert.ok(byKey, `${name} does not read ${keyed} by its key: ${described}`);
        }
      }
      const { rows } = await client.query<{ table: string; columns: string[]; unique: boolean; partial: boolean }>(
        `SELECT t.relname AS table, array_agg(coalesce(a.attname::text, $1) ORDER BY k.ord) AS columns, x.indisunique AS unique, x.indpred IS NOT NULL AS partial
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
         WHERE n.nspname = current_schema() AND NOT x.indisprimary
         GROUP BY t.relname, x.indexrelid, x.indisunique, x.indpred IS NOT NULL`,
        [EXPRESSION],
      );
      // Tables only one store has (nonces live elsewhere on SQLite) have nothing to compare.
      for (const [table, onSqlite] of sqliteIndexes) {
        const onPostgres = rows
          .filter((r) => r.table === table && withoutRowid(table, r.columns).length > 0)
          .map((r) => shape(table, withoutRowid(table, r.columns), r.unique, r.partial))
          .sort();
        assert.deepEqual(onPostgres, onSqlite, `indexes of ${table} differ between the stores`);
      }
    } finally {
      await client.end();
    }
  });
});
