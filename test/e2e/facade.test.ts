import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManualClock, RpcError, startServer, type RunningServer, type ServerOptions, type StateFileInput } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { KEYS } from '../helpers/keys.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

/**
 * The package's facade as a user's test suite meets it (README, "rdmc inside a test suite"):
 * only what src/index.ts exports, on a database of its own (SQLite, or PostgreSQL under
 * RDMC_TEST_BACKEND=postgres, where moving the clock is turned on as a test cluster would).
 */
async function facade(database: TestDatabase, extra: Partial<ServerOptions> = {}, clock?: ManualClock): Promise<RunningServer> {
  return startServer(
    { host: '127.0.0.1', port: 0, db: database.db, pgPoolSize: 4, accessKeys: [{ ...KEYS.main }, { ...KEYS.other }], logLevel: 'silent', ...extra },
    { clock },
  );
}

const PINNED = { bootstrapDirectoryId: 'rd-Pin123', bootstrapRootFolderId: 'r-Pin456' } as const;

test('startServer resolves to url, credentials, a ready client and the admin API; reset keeps the pinned bootstrap IDs', async () => {
  const database = await createTestDatabase();
  try {
    await using rdmc = await facade(database, { asyncMode: 'manual', ...PINNED });
    assert.match(rdmc.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(rdmc.port, Number(new URL(rdmc.url).port));
    assert.equal(rdmc.https, null);
    assert.deepEqual(rdmc.credentials, KEYS.main);
    for (const inside of ['store', 'services', 'config', 'log']) assert.equal(inside in rdmc, false, `${inside} is not part of the facade`);

    const directory = async () => (await rdmc.client.call('GetResourceDirectory')).ResourceDirectory;
    assert.deepEqual([(await directory()).ResourceDirectoryId, (await directory()).RootFolderId], ['rd-Pin123', 'r-Pin456']);
    assert.equal((await rdmc.client.call('GetResourceDirectory', {}, { signature: 'v1' })).ResourceDirectory.MasterAccountId, KEYS.main.accountId);
    await assert.rejects(rdmc.client.call('GetMessageContact', { ContactId: 'c-AAAAAAAAAAAAAAAA' }), (err: RpcError) => err.code === 'EntityNotExists.Contact');

    // Async mode, jobs, outbox.
    assert.deepEqual(await rdmc.admin.asyncMode.get(), { Mode: 'manual', DelayMs: 500 });
    const { Contact } = await rdmc.client.call('AddMessageContact', { Name: 'tom', Title: 'CEO', EmailAddress: 'tom@example.com', MessageTypes: ['SecurityMessage'] });
    await rdmc.client.call('SendEmailVerificationForMessageContact', { ContactId: Contact.ContactId, EmailAddress: 'tom@example.com' });
    const link = await rdmc.admin.outbox.waitForMessage({ to: 'TOM@example.com', kind: 'verification', subject: /^Verify your email address/ });
    assert.match(link.Link, /\/verify\//);
    await assert.rejects(rdmc.admin.outbox.waitForMessage({ to: 'tom@example.com', kind: 'message', timeoutMs: 50 }), /no message to tom@example\.com matched within 50 ms \(async mode manual/);
    assert.ok((await rdmc.admin.jobs()).length >= 0);
    assert.equal(typeof (await rdmc.admin.runJobs()), 'number');
    assert.ok((await rdmc.admin.jobs()).every((j) => !j.Held), 'runJobs releases held jobs');
    assert.deepEqual(await rdmc.admin.asyncMode.set('immediate'), { Mode: 'immediate', DelayMs: 500 });
    await assert.rejects(rdmc.admin.asyncMode.set('sometimes' as 'immediate'), (err: Error & { code?: string }) => err.code === 'InvalidBody');

    // Time: the link expires once the server's clock passed its lifetime.
    const before = await rdmc.admin.time.now();
    const after = await rdmc.admin.time.advance(24 * 3_600_000 + 1_000);
    assert.ok(after.getTime() - before.getTime() >= 24 * 3_600_000 + 1_000);
    assert.equal((await fetch(link.Link, { method: 'POST' })).status, 410);
    await assert.rejects(rdmc.admin.time.advance(-1), (err: Error & { code?: string }) => err.code === 'InvalidBody');

    // Seed, state out and back in, reset.
    const seeded = await rdmc.admin.seed({ accounts: 3, displayNamePrefix: 'member' });
    assert.equal(seeded.AccountIds.length, 3);
    assert.equal(seeded.FolderId, 'r-Pin456');
    await assert.rejects(rdmc.admin.seed({ accounts: 0 }), (err: Error & { code?: string }) => err.code === 'InvalidBody');
    const state = await rdmc.admin.exportState();
    const mine = state.Directories.find((d) => d.MasterAccountId === KEYS.main.accountId)!;
    assert.deepEqual([mine.ResourceDirectoryId, mine.RootFolderId, mine.Accounts?.length], ['rd-Pin123', 'r-Pin456', 3]);
    await rdmc.admin.reset();
    assert.deepEqual([(await directory()).ResourceDirectoryId, (await directory()).RootFolderId], ['rd-Pin123', 'r-Pin456'], 'a reset keeps the pinned IDs');
    assert.equal((await rdmc.client.call('ListAccounts')).Accounts.Account.length, 1);
    assert.deepEqual(await rdmc.admin.importState(state), { Folders: 0, Accounts: 3, Contacts: 1 });
    assert.equal((await rdmc.client.call('ListAccounts')).Accounts.Account.length, 4);
    assert.equal(await rdmc.admin.outbox.clear(), (await rdmc.admin.outbox.list({ limit: 1000 })).length);
    assert.deepEqual(await rdmc.admin.outbox.list(), []);
    await assert.rejects(
      rdmc.admin.importState({ Directories: [{ MasterAccountId: KEYS.main.accountId, Accounts: [{ DisplayName: 'x', AccountId: 'nope' }] }] }),
      (err: Error & { code?: string }) => err.code === 'InvalidState' && err.message.startsWith('importState:\n  - Directories.0.Accounts.0.AccountId: '),
    );
  } finally {
    await database.drop();
  }
});

test('a ManualClock handed to startServer is the clock of expiry; the admin API moves time on top of it', async () => {
  const database = await createTestDatabase();
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  try {
    const rdmc = await facade(database, { asyncMode: 'immediate' }, clock);
    try {
      // On PostgreSQL the node's time is corrected to the database's by the skew it measured (a few ms here).
      const near = (at: Date, iso: string) => assert.ok(Math.abs(at.getTime() - Date.parse(iso)) < 1_000, `${at.toISOString()} is not near ${iso}`);
      near(await rdmc.admin.time.now(), '2030-01-01T00:00:00.000Z');
      clock.advance(60_000);
      near(await rdmc.admin.time.advance(1_000), '2030-01-01T00:01:01.000Z');
    } finally {
      await rdmc[Symbol.asyncDispose]();
    }
    await assert.rejects(fetch(`${rdmc.url}/_rdmc/health/live`), 'disposed: the port is closed');
  } finally {
    await database.drop();
  }
});

test('a state file given to startServer is checked as rdmc import checks it: the same rules, the same text', async () => {
  const database = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'rdmc-facade-'));
  try {
    const file = join(dir, 'state.yaml');
    await writeFile(file, `Directories:\n  - MasterAccountId: "${KEYS.main.accountId}"\n    Contacts:\n      - { Name: tom, Title: CEO, EmailAddress: tom@example.com, MessageTypes: [Nope] }\n`);
    const refused = await startServer({ port: 0, db: database.db, logLevel: 'silent', accessKeys: [{ ...KEYS.main }] }, { initialState: file }).then(
      async (s) => {
        await s.close();
        return null;
      },
      (err: Error) => err,
    );
    assert.ok(refused, 'the start is refused');
    const imported = start(process.execPath, [CLI, 'import', file, '--endpoint', 'http://127.0.0.1:9'], { env: cleanEnv() });
    await imported.exited;
    assert.equal(imported.stderr().trim(), `rdmc import: ${refused.message}`);
    // As an object: the same problems, the same layout, named after the option.
    const document = { Directories: [{ MasterAccountId: KEYS.main.accountId, Contacts: [{ Name: 'tom', Title: 'CEO', EmailAddress: 'tom@example.com', MessageTypes: ['Nope'] }] }] };
    await assert.rejects(
      startServer({ port: 0, db: database.db, logLevel: 'silent', accessKeys: [{ ...KEYS.main }] }, { initialState: document as unknown as StateFileInput }),
      (err: Error & { code?: string }) => err.code === 'InvalidState' && err.message === refused.message.replace(file, 'initialState'),
    );
    // The rules that need no schema problem to show: a display name twice.
    const twice = { Directories: [{ MasterAccountId: KEYS.main.accountId, Accounts: [{ DisplayName: 'same' }, { DisplayName: 'same' }] }] };
    await assert.rejects(
      startServer({ port: 0, db: database.db, logLevel: 'silent', accessKeys: [{ ...KEYS.main }] }, { initialState: twice }),
      (err: Error & { code?: string }) => err.code === 'InvalidState' && /DisplayName same appears twice/.test(err.message),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await database.drop();
  }
});
