import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrations } from '../../src/storage/migrations/index.js';
import { createTestDatabase, execSql, postgresReachable, warnPostgresMissing, type Backend, type TestDatabase } from '../helpers/database.js';

/**
 * Attachments stored before the kept counts (version 26) are counted by the upgrade, per
 * directory and policy, on both stores, and the counts go on from there.
 */
const COUNTS = migrations.find((m) => m.name === 'control_policy_attachment_counts')!.version;
const T0 = 1_700_000_000_000;

/** Two directories; the system policy on three targets of the first and one of the second, a custom one on two. */
const seed: string[] = [
  `INSERT INTO directories (id, master_account_id, master_account_name, root_folder_id, create_time) VALUES ('rd-a', '1999999999999991', 'a@example.com', 'r-a', ${T0})`,
  `INSERT INTO directories (id, master_account_id, master_account_name, root_folder_id, create_time) VALUES ('rd-b', '1999999999999992', 'b@example.com', 'r-b', ${T0})`,
  ...[['rd-a', 'r-a', 'cp-FullAliyunAccess'], ['rd-a', 'fd-1', 'cp-FullAliyunAccess'], ['rd-a', 'fd-2', 'cp-FullAliyunAccess'],
    ['rd-a', 'fd-1', 'cp-custom'], ['rd-a', 'fd-2', 'cp-custom'], ['rd-b', 'r-b', 'cp-FullAliyunAccess']].map(
    ([d, t, p]) => `INSERT INTO control_policy_attachments (directory_id, target_id, policy_id, target_type, attach_time) VALUES ('${d}', '${t}', '${p}', 'Folder', ${T0})`,
  ),
];

/** The schema as version 25 left it, with the rows above, as the release before would have written them. */
async function writeVersion25(database: TestDatabase): Promise<void> {
  const older = migrations.filter((m) => m.version < COUNTS);
  await execSql(database, [
    'CREATE TABLE schema_versions (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    ...older.map((m) => `${m[database.backend]};\nINSERT INTO schema_versions VALUES (${m.version}, '${m.name}', ${T0})`),
    ...seed,
  ].join(';\n'));
}

for (const backend of ['sqlite', 'postgres'] as Backend[]) {
  test(`${backend}: attachments stored before version ${COUNTS} are counted by the upgrade, and counted on`, async (t) => {
    if (backend === 'postgres' && !(await postgresReachable())) return t.skip(warnPostgresMissing('the attachment-count upgrade test'));
    const database = await createTestDatabase(backend);
    try {
      await writeVersion25(database);
      const store = await database.open();
      try {
        const counts = (directoryId: string) => store.read((tx) => tx.controlPolicies.attachmentCounts(directoryId, ['cp-FullAliyunAccess', 'cp-custom']));
        assert.deepEqual(await counts('rd-a'), new Map([['cp-FullAliyunAccess', 3], ['cp-custom', 2]]));
        assert.deepEqual(await counts('rd-b'), new Map([['cp-FullAliyunAccess', 1]]));
        await store.transaction({ nothing: 'the test writes alone' }, (tx) => tx.controlPolicies.detachAll('rd-a', ['fd-1']));
        assert.equal(await store.read((tx) => tx.controlPolicies.countTargets('rd-a', 'cp-FullAliyunAccess')), 2);
        assert.equal(await store.read((tx) => tx.controlPolicies.countTargets('rd-a', 'cp-custom')), 1);
        assert.equal(await store.read((tx) => tx.controlPolicies.countTargets('rd-b', 'cp-FullAliyunAccess')), 1);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
}
