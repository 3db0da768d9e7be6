import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, openApiCore, popCore, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer } from '../helpers/server.js';
import { RDM22, RM20, teaRpc } from '../helpers/terraform/tea-rpc.js';

/**
 * The folder quota per directory (RDMC_FOLDER_QUOTA; docs/operations.md "Limits"), lowered
 * to 3 here: past it, CreateFolder at either API version and a state file are refused with
 * QuotaExceeded.Folder, and nothing of the refused call or file is written.
 */
const QUOTA = 3;
const QUOTA_EXCEEDED = [400, 'QuotaExceeded.Folder', 'The maximum number of folders exceeds the limit.'] as const;

/** Every folder of the caller's directory below the Root, by name (the tree walked level by level). */
async function folderNames(call: Call): Promise<string[]> {
  const names: string[] = [];
  for (let level: Array<string | undefined> = [undefined]; level.length > 0; ) {
    const next: string[] = [];
    for (const parent of level) {
      for (const f of (await call('ListFoldersForParent', { ParentFolderId: parent, PageSize: 100 })).Folders.Folder) {
        names.push(f.FolderName);
        next.push(f.FolderId);
      }
    }
    level = next;
  }
  return names.sort();
}

test('CreateFolder: QuotaExceeded.Folder past the quota at both API versions, nested folders counted, the Root not; a deletion frees a place', async (t) => {
  const server = await startTestServer({ folderQuota: QUOTA });
  t.after(() => server.stop());
  const call = openApiCore(server.url);
  const rpc = teaRpc(server.url);
  const top = (await call('CreateFolder', { FolderName: 'one' })).Folder.FolderId;
  await rpc(RM20, 'CreateFolder', { FolderName: 'two', ParentFolderId: top });
  await rpc(RDM22, 'CreateFolder', { FolderName: 'three' });

  await assertFailure(call('CreateFolder', { FolderName: 'four' }), ...QUOTA_EXCEEDED);
  await assertFailure(popCore(server.url)('CreateFolder', { FolderName: 'four', ParentFolderId: top }), ...QUOTA_EXCEEDED);
  await assertFailure(rpc(RM20, 'CreateFolder', { FolderName: 'four' }), ...QUOTA_EXCEEDED);
  await assertFailure(rpc(RDM22, 'CreateFolder', { FolderName: 'four', 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }), ...QUOTA_EXCEEDED);
  assert.deepEqual(await folderNames(call), ['one', 'three', 'two'], 'nothing was created');
  assert.deepEqual((await call('ListTagResources', { ResourceType: 'Folder' })).TagResources, [], 'no tag of a refused folder was written');

  // The quota is each directory's own.
  const other = openApiCore(server.url, KEYS.other);
  await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  await other('CreateFolder', { FolderName: 'elsewhere' });

  const three = (await call('ListFoldersForParent', { QueryKeyword: 'three' })).Folders.Folder[0].FolderId;
  await call('DeleteFolder', { FolderId: three });
  await call('CreateFolder', { FolderName: 'four' });
  assert.deepEqual(await folderNames(call), ['four', 'one', 'two']);
});

test('a state file that would pass the quota is refused whole (POST, PUT and --init), and one within it is applied', async (t) => {
  const server = await startTestServer({ folderQuota: QUOTA });
  t.after(() => server.stop());
  const admin = adminClient(server.url);
  const call = openApiCore(server.url);
  const file = (folders: unknown[]) => ({
    Directories: [{ MasterAccountId: KEYS.main.accountId, Folders: folders, Accounts: [{ DisplayName: 'from the file' }] }],
  });
  const accountNames = async () => (await call('ListAccounts', { PageSize: 100 })).Accounts.Account.map((a: any) => a.DisplayName).sort();
  const before = await accountNames();
  const tooMany = file([{ FolderName: 'a', Folders: [{ FolderName: 'a1' }, { FolderName: 'a2' }] }, { FolderName: 'b' }]);

  for (const method of ['POST', 'PUT']) {
    const refused = await admin.raw(method, '/state', tooMany);
    assert.deepEqual([refused.status, refused.body.Code, refused.body.Message], QUOTA_EXCEEDED, method);
    assert.deepEqual(await folderNames(call), [], `${method}: no folder of the refused file`);
    assert.deepEqual(await accountNames(), before, `${method}: no account of the refused file`);
  }

  const within = file([{ FolderName: 'a', Folders: [{ FolderName: 'a1' }] }, { FolderName: 'b' }]);
  assert.deepEqual((await admin.post('/state', within)).Applied, { Folders: 3, Accounts: 1, Contacts: 0 });
  // Folders the file names that exist already take no place: applying it again is allowed.
  assert.deepEqual((await admin.post('/state', within)).Applied, { Folders: 0, Accounts: 0, Contacts: 0 });
  // One folder more, beside what the directory holds, is refused; the account of that file too.
  const oneMore = await admin.raw('POST', '/state', {
    Directories: [{ MasterAccountId: KEYS.main.accountId, Folders: [{ FolderName: 'c' }], Accounts: [{ DisplayName: 'later' }] }],
  });
  assert.deepEqual([oneMore.status, oneMore.body.Code, oneMore.body.Message], QUOTA_EXCEEDED);
  assert.deepEqual(await folderNames(call), ['a', 'a1', 'b']);
  assert.ok(!(await accountNames()).includes('later'), 'nothing of the refused file was written');

  // rdmc serve --init: a node whose initial state passes the quota does not start.
  await assert.rejects(
    startTestServer({ folderQuota: QUOTA }, { initialState: tooMany as any }),
    (err: any) => err.code === 'QuotaExceeded.Folder',
  );
});
