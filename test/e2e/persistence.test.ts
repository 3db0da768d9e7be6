import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApiCore, popCore, type Call } from '../helpers/clients.js';
import { CLI, cleanEnv, listeningUrl, start } from '../helpers/spawn.js';
import { createTestDatabase } from '../helpers/database.js';
import { ACCESS_KEYS_ENV, startTestServer } from '../helpers/server.js';

/** Writes a small tree through `call` and returns what a reader must find afterwards. */
async function writeTree(call: Call) {
  const rd = (await call('GetResourceDirectory')).ResourceDirectory;
  const parent = (await call('CreateFolder', { FolderName: 'durable' })).Folder;
  const child = (await call('CreateFolder', { FolderName: 'inner', ParentFolderId: parent.FolderId })).Folder;
  const member = (await call('CreateResourceAccount', { DisplayName: 'kept member', ParentFolderId: parent.FolderId })).Account;
  await call('MoveAccount', { AccountId: member.AccountId, DestinationFolderId: child.FolderId });
  return { rd, parent, child, member };
}

async function readTree(call: Call, written: Awaited<ReturnType<typeof writeTree>>) {
  const { rd, parent, child, member } = written;
  assert.deepEqual({ ...(await call('GetResourceDirectory')).ResourceDirectory }, { ...rd });
  const folder = (await call('GetFolder', { FolderId: child.FolderId })).Folder;
  assert.equal(folder.FolderName, 'inner');
  assert.equal(folder.CreateTime, child.CreateTime);
  assert.equal(folder.ResourceDirectoryPath, `${rd.ResourceDirectoryId}/${rd.RootFolderId}/${parent.FolderId}/${child.FolderId}`);
  const account = (await call('GetAccount', { AccountId: member.AccountId })).Account;
  assert.equal(account.DisplayName, 'kept member');
  assert.equal(account.AccountName, member.AccountName);
  assert.equal(account.FolderId, child.FolderId);
  const listed = await call('ListFoldersForParent', { ParentFolderId: parent.FolderId });
  assert.deepEqual(listed.Folders.Folder.map((f: { FolderId: string }) => f.FolderId), [child.FolderId]);
}

test('a restart on the same database file reads back everything written', async () => {
  const first = await startTestServer();
  let second;
  try {
    const written = await writeTree(openApiCore(first.url));
    second = await first.restart();
    await readTree(openApiCore(second.url), written);
  } finally {
    await (second ?? first).stop();
  }
});

test('acknowledged writes survive SIGKILL of the server process', async () => {
  const database = await createTestDatabase();
  const proc = start(process.execPath, [CLI, 'serve', '--port', '0', '--db', database.db], {
    env: cleanEnv({ RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, RDMC_LOG_LEVEL: 'info' }),
  });
  let written;
  try {
    const url = await listeningUrl(proc);
    written = await writeTree(popCore(url, undefined, 'POST'));
  } finally {
    proc.child.kill('SIGKILL');
  }
  assert.deepEqual(await proc.exited, { code: null, signal: 'SIGKILL' });
  // The test server opens the same database (and drops it when it stops).
  const reopened = await startTestServer({}, {}, database);
  try {
    await readTree(popCore(reopened.url), written);
  } finally {
    await reopened.stop();
  }
});
