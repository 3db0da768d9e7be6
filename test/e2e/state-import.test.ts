import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { failure, openApiCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { createTestDatabase } from '../helpers/database.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * State files as an operator's mistake meets them: a refused file changes nothing (PUT replaces
 * in one transaction), a file cannot take a tenant's account or name, nor an ID another
 * directory holds, and a database rdmc wrote always opens again.
 */

const other = (url: string) => openApiCore(url, KEYS.other);

/** `other`'s own directory with one contact, as a tenant builds it through the API. */
async function otherTenant(server: TestServer) {
  const api = other(server.url);
  const rd = (await api('EnableResourceDirectory', { EnableMode: 'CurrentAccount' })).ResourceDirectory as Record<string, string>;
  const folderId = (await api('CreateFolder', { FolderName: 'theirs' })).Folder.FolderId as string;
  const contactId = await addContact(api, { Name: 'theirs' });
  return { directoryId: rd.ResourceDirectoryId!, rootFolderId: rd.RootFolderId!, folderId, contactId };
}

const mainDirectory = (extra: Record<string, unknown> = {}) => ({ MasterAccountId: KEYS.main.accountId, ...extra });

test('a refused PUT /_rdmc/state changes nothing, whether the file or the database refuses it', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const theirs = await otherTenant(server);
    await admin.post('/state', { Directories: [mainDirectory({ Accounts: [{ DisplayName: 'kept' }] })] });
    const before = (await admin.get('/state')).State;
    const refusals = [
      // The file alone: an owner no key belongs to, after a directory that is fine.
      { Directories: [mainDirectory(), { MasterAccountId: '9999999999999999' }] },
      // The database: a binding to an account the directory does not hold, found after the wipe.
      { Directories: [mainDirectory({ Contacts: [{ Name: 'tom', Title: 'CEO', EmailAddress: 'tom@example.com', Members: ['1234567890123456'] }] })] },
    ];
    for (const body of refusals) {
      const refused = await admin.raw('PUT', '/state', body);
      assert.equal(refused.status, 400, JSON.stringify(refused.body));
      assert.deepEqual((await admin.get('/state')).State, before, 'every tenant as it was');
    }
    assert.equal((await other(server.url)('GetMessageContact', { ContactId: theirs.contactId })).Contact.Name, 'theirs');
  } finally {
    await server.stop();
  }
});

test('while PUT /_rdmc/state replaces the state, other requests see the old state or the new one, never an empty database', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const theirs = await otherTenant(server);
    const Accounts = Array.from({ length: 3_000 }, (_, i) => ({ DisplayName: `bulk-${i}` }));
    const state = (await admin.get('/state')).State;
    state.Directories.find((d: { MasterAccountId: string }) => d.MasterAccountId === KEYS.main.accountId).Accounts = Accounts;
    let replaced = false;
    const put = admin.put('/state', state).finally(() => (replaced = true));
    let reads = 0;
    while (!replaced) {
      const contact = await other(server.url)('GetMessageContact', { ContactId: theirs.contactId });
      assert.equal(contact.Contact.Name, 'theirs');
      reads++;
    }
    assert.deepEqual((await put).Applied, { Folders: 1, Accounts: 3_000, Contacts: 1 });
    assert.ok(reads > 0);
  } finally {
    await server.stop();
  }
});

test("a file cannot name a tenant's own account as a member, by ID or by name, on PUT, POST or at start", async () => {
  let server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const files = [
      // A configured tenant's account name: it made that tenant's bootstrap fail at every start.
      mainDirectory({ Accounts: [{ DisplayName: 'squatter', AccountName: `${KEYS.other.accountId}@aliyun.com` }] }),
      // ... or one configured later.
      mainDirectory({ Accounts: [{ DisplayName: 'squatter', AccountName: '4444444444444444@aliyun.com' }] }),
      // A configured tenant's account ID placed in the directory of another.
      mainDirectory({ Accounts: [{ DisplayName: 'squatter', AccountId: KEYS.bare.accountId }] }),
    ];
    for (const directory of files) {
      for (const method of ['POST', 'PUT']) {
        const refused = await admin.raw(method, '/state', { Directories: [directory] });
        assert.deepEqual([refused.status, refused.body.Code], [400, 'InvalidState'], `${method} ${JSON.stringify(directory)}`);
      }
    }
    await assert.rejects(
      startTestServer({}, { initialState: { Directories: [files[0]!] } }),
      (err: Error & { code?: string }) => err.code === 'InvalidState',
    );
    // The tenant whose name it was is unharmed.
    assert.equal((await other(server.url)('EnableResourceDirectory', { EnableMode: 'CurrentAccount' })).ResourceDirectory.MasterAccountId, KEYS.other.accountId);
    server = await server.restart();
    assert.equal((await other(server.url)('GetResourceDirectory')).ResourceDirectory.MasterAccountId, KEYS.other.accountId);
  } finally {
    await server.stop();
  }
});

test('IDs a file repeats, or another directory holds, are InvalidState and the answer does not say whose', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const theirs = await otherTenant(server);
    const contact = (id: string) => ({ ContactId: id, Name: 'mine', Title: 'CEO', EmailAddress: 'x@example.com' });
    // Held by the other tenant's directory (POST: a PUT replaces that directory too).
    for (const body of [
      { Directories: [mainDirectory({ Folders: [{ FolderName: 'mine', FolderId: theirs.folderId }] })] },
      { Directories: [mainDirectory({ Contacts: [contact(theirs.contactId)] })] },
    ]) {
      const refused = await admin.raw('POST', '/state', body);
      assert.deepEqual([refused.status, refused.body.Code], [400, 'InvalidState'], `${JSON.stringify(body)}: ${JSON.stringify(refused.body)}`);
      assert.doesNotMatch(refused.body.Message, new RegExp(`${KEYS.other.accountId}|${theirs.directoryId}`));
    }
    // Twice in the file.
    const bodies = [
      { Directories: [mainDirectory({ Accounts: [{ DisplayName: 'a1', AccountId: '5555555555555555' }, { DisplayName: 'a2', AccountId: '5555555555555555' }] })] },
      { Directories: [mainDirectory({ Contacts: [contact('c-AAAAAAAAAAAAAAAA'), { ...contact('c-AAAAAAAAAAAAAAAA'), Name: 'second' }] })] },
      { Directories: [mainDirectory({ Folders: [{ FolderName: 'f1', FolderId: 'fd-AAAAAAAAAA' }, { FolderName: 'f2', FolderId: 'fd-AAAAAAAAAA' }] })] },
      { Directories: [mainDirectory({ Accounts: [{ DisplayName: 'same' }, { DisplayName: 'same' }] })] },
      { Directories: [mainDirectory({ Accounts: [{ DisplayName: 'n1', AccountName: 'x@example.com' }, { DisplayName: 'n2', AccountName: 'x@example.com' }] })] },
      { Directories: [mainDirectory(), mainDirectory()] },
    ];
    for (const body of bodies) {
      for (const method of ['POST', 'PUT']) {
        const refused = await admin.raw(method, '/state', body);
        assert.deepEqual([refused.status, refused.body.Code], [400, 'InvalidState'], `${method} ${JSON.stringify(body)}: ${JSON.stringify(refused.body)}`);
        assert.doesNotMatch(refused.body.Message, new RegExp(`${KEYS.other.accountId}|${theirs.directoryId}`));
      }
    }
    // The other tenant's directory as a whole: its ID and its Root's, for a directory rdmc creates.
    await admin.post('/reset');
    const again = await otherTenant(server);
    for (const ids of [{ ResourceDirectoryId: again.directoryId }, { RootFolderId: again.rootFolderId }]) {
      const refused = await admin.raw('POST', '/state', { Directories: [{ MasterAccountId: KEYS.bare.accountId, ...ids }] });
      assert.deepEqual([refused.status, refused.body.Code], [400, 'InvalidState'], JSON.stringify(refused.body));
    }
    assert.equal((await other(server.url)('GetMessageContact', { ContactId: again.contactId })).Contact.Name, 'theirs');
  } finally {
    await server.stop();
  }
});

test('startServer({ initialState }) checks the file like rdmc import: a message type that does not exist fails the start', async () => {
  const database = await createTestDatabase();
  try {
    const contact = { Name: 'tom', Title: 'CEO', EmailAddress: 'tom@example.com', MessageTypes: ['NotAType'] };
    await assert.rejects(
      startTestServer({}, { initialState: { Directories: [mainDirectory({ Contacts: [contact] })] } }, database),
      (err: Error & { code?: string }) => err.code === 'InvalidState' && /MessageTypes\.0: Invalid enum value/.test(err.message),
    );
    const server = await startTestServer({}, { initialState: { Directories: [mainDirectory({ Contacts: [{ ...contact, MessageTypes: ['SecurityMessage'] }] })] } }, database);
    try {
      const listed = (await openApiCore(server.url)('ListMessageContacts', {})).Contacts as Array<{ Name: string }>;
      assert.deepEqual(listed.map((c) => c.Name), ['tom']);
    } finally {
      await server.close();
    }
  } finally {
    await database.drop();
  }
});

test('a database holding a member with a tenant\'s account name, as older rdmc wrote it, still opens, and that tenant works', async () => {
  const database = await createTestDatabase();
  try {
    // Only `main` configured: `other`'s name is free, and a member takes it (rdmc accepted that once).
    const first = await startTestServer({ accessKeys: [{ ...KEYS.main }] }, {}, database);
    const directory = await first.services.directory.get(KEYS.main.accountId);
    await first.store.transaction({ nothing: 'a test writes a row as older rdmc did' }, (tx) =>
      tx.accounts.insert({
        id: '5555555555555555',
        directoryId: directory.id,
        folderId: directory.rootFolderId,
        accountName: `${KEYS.other.accountId}@aliyun.com`,
        displayName: 'squatter',
        type: 'ResourceAccount',
        joinMethod: 'created',
        joinTime: 1,
        modifyTime: 1,
      }),
    );
    await first.close();
    const server = await startTestServer({}, {}, database);
    try {
      const enabled = (await other(server.url)('EnableResourceDirectory', { EnableMode: 'CurrentAccount' })).ResourceDirectory;
      assert.equal(enabled.MasterAccountName, `${KEYS.other.accountId}-2@aliyun.com`);
      assert.equal((await failure(other(server.url)('GetAccount', { AccountId: '5555555555555555' }))).code, 'EntityNotExists.Account');
    } finally {
      await server.close();
    }
  } finally {
    await database.drop();
  }
});
