import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { TEST_BACKEND } from '../helpers/database.js';
import { spawnServer } from '../helpers/process.js';
import { ACCESS_KEYS_ENV, KEYS, startTestServer } from '../helpers/server.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';

/**
 * Declarative state: `rdmc serve --init FILE`, `rdmc export`, `rdmc import`, `rdmc backup`,
 * driven through the built CLI against a real server.
 */
const INIT = `
Directories:
  - MasterAccountId: "${KEYS.main.accountId}"
    Settings:
      ControlPolicyStatus: Enabled
      MemberDeletionStatus: Enabled
    Folders:
      - FolderName: Engineering
        Tags: { cost: eng }
        Folders:
          - FolderName: Platform
            Accounts:
              - DisplayName: platform-prod
        Accounts:
          - DisplayName: eng-shared
            PayerAccountId: billing
    Accounts:
      - DisplayName: billing
        Tags: { Created: TF, For: Account }
    Contacts:
      - Name: tom
        Title: TechnicalDirector
        MessageTypes: [SecurityMessage, FaultMessage]
        EmailAddress: tom@example.com
        PhoneNumber: 86-13800000000
        Members: [/Engineering]
      - Name: ann
        Title: FinanceDirector
        MessageTypes: [AccountExpenses]
        PendingEmailAddress: ann@example.com
        Members: [billing, /Engineering/Platform]
`;

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rdmc-state-'));
  await writeFile(join(dir, 'init.yaml'), INIT);
});
after(() => rm(dir, { recursive: true, force: true }));

async function rdmc(args: string[], endpoint: string) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv({ RDMC_ENDPOINT: endpoint }) });
  const { code } = await proc.exited;
  assert.equal(code, 0, `rdmc ${args.join(' ')}: ${proc.stderr()}`);
  return proc.stdout();
}

async function rdmcRefused(args: string[], endpoint: string) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv({ RDMC_ENDPOINT: endpoint }) });
  return { code: (await proc.exited).code, stderr: proc.stderr() };
}

/** The account of a display name, and its message center's contacts with their Via. */
async function messageCenter(url: string, displayName: string) {
  const accounts = (await openApiCore(url)('ListAccounts', { PageSize: 100 })).Accounts.Account as Array<{ AccountId: string; DisplayName: string }>;
  const account = accounts.find((a) => a.DisplayName === displayName)!;
  const center = await adminClient(url).get(`/accounts/${account.AccountId}/message-center`);
  return center.Contacts.map((c: { Name: string; EmailAddress: string; Via: string[] }) => [c.Name, c.EmailAddress, c.Via.length]);
}

test('serve --init lays a YAML file down (paths, display names, verified and pending addresses), and again changes nothing', { skip: TEST_BACKEND !== 'sqlite' && 'runs rdmc serve on a SQLite file' }, async () => {
  const db = join(dir, 'init.sqlite');
  const args = ['--db', db, '--async-mode', 'immediate', '--init', join(dir, 'init.yaml')];
  const env = { RDMC_ACCESS_KEYS: ACCESS_KEYS_ENV, RDMC_LOG_LEVEL: 'info' };
  let server = await spawnServer(args, env);
  let first: string;
  try {
    const contacts = (await openApiCore(server.url)('ListMessageContacts', {})).Contacts as Array<{ Name: string; Status: string; EmailAddress: string }>;
    assert.deepEqual(contacts.map((c) => [c.Name, c.Status, c.EmailAddress]).sort(), [
      ['ann', 'Verifying', 'ann@example.com'],
      ['tom', 'Active', 'tom@example.com'],
    ]);
    // Bindings reached the message centers: tom through Engineering, ann through Platform (no verified address yet).
    assert.deepEqual((await messageCenter(server.url, 'platform-prod')).sort(), [['ann', '', 1], ['tom', 'tom@example.com', 1]]);
    first = await rdmc(['export'], server.url);
  } finally {
    await server.kill();
  }
  server = await spawnServer(args, env);
  try {
    assert.equal(await rdmc(['export'], server.url), first);
  } finally {
    await server.kill();
  }
});

test('export, wipe, import, export again: identical; message centers come back; backup copies the live SQLite file', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const applied = await admin.post('/state', (await import('yaml')).parse(INIT));
    assert.deepEqual(applied.Applied, { Folders: 2, Accounts: 3, Contacts: 2 });
    assert.deepEqual((await admin.post('/state', (await import('yaml')).parse(INIT))).Applied, { Folders: 0, Accounts: 0, Contacts: 0 });

    const before = join(dir, 'before.yaml');
    await rdmc(['export', before], server.url);
    const exported = await readFile(before, 'utf8');
    assert.match(exported, /^Directories:\n {2}- MasterAccountId: "1111111111111111"\n {4}ResourceDirectoryId: rd-/);
    await admin.post('/reset');
    assert.notEqual(await rdmc(['export'], server.url), exported);
    await rdmc(['import', before], server.url);
    const afterJson = join(dir, 'after.json');
    await rdmc(['export', afterJson], server.url);
    assert.deepEqual(JSON.parse(await readFile(afterJson, 'utf8')), (await import('yaml')).parse(exported));
    assert.equal(await rdmc(['export'], server.url), exported);
    assert.deepEqual((await messageCenter(server.url, 'platform-prod')).sort(), [['ann', '', 1], ['tom', 'tom@example.com', 1]]);
    // What Terraform manages beside contacts came back too: switches, tags, payers.
    const api = openApiCore(server.url);
    const rd = (await api('GetResourceDirectory')).ResourceDirectory;
    assert.deepEqual([rd.ControlPolicyStatus, rd.MemberDeletionStatus, rd.MemberAccountDisplayNameSyncStatus], ['Enabled', 'Enabled', 'Disabled']);
    const accounts = (await api('ListAccounts', { PageSize: 100, IncludeTags: true })).Accounts.Account as Array<Record<string, any>>;
    const billing = accounts.find((a) => a.DisplayName === 'billing')!;
    assert.deepEqual(billing.Tags.Tag, [{ Key: 'Created', Value: 'TF' }, { Key: 'For', Value: 'Account' }]);
    const shared = accounts.find((a) => a.DisplayName === 'eng-shared')!;
    assert.equal((await api('GetPayerForAccount', { AccountId: shared.AccountId })).PayerAccountId, billing.AccountId);
    const engineering = (await api('ListFoldersForParent', { QueryKeyword: 'Engineering' })).Folders.Folder[0];
    assert.deepEqual(engineering.Tags.Tag, [{ Key: 'cost', Value: 'eng' }]);

    const copy = join(dir, 'backup.sqlite');
    if (TEST_BACKEND === 'sqlite') {
      await rdmc(['backup', copy], server.url);
      const db = new Database(copy, { readonly: true });
      try {
        assert.deepEqual(db.prepare('SELECT name FROM contacts ORDER BY name').all(), [{ name: 'ann' }, { name: 'tom' }]);
      } finally {
        db.close();
      }
    } else {
      const refused = await admin.raw('GET', '/backup');
      assert.deepEqual([refused.status, refused.body.Code], [400, 'BackupUnsupported']);
    }
  } finally {
    await server.stop();
  }
});

// Tag keys are free text: keys that name properties of a JavaScript object used to be lost on
// the way in (`__proto__` assigned to a plain object sets its prototype instead).
const ODD_KEYS = ['__proto__', 'constructor', 'toString'];

test('every tag key the API stores survives export and import, __proto__ included, as YAML and as JSON', async () => {
  const server = await startTestServer();
  try {
    const api = openApiCore(server.url);
    const folderId = (await api('CreateFolder', { FolderName: 'odd' })).Folder.FolderId as string;
    const accountId = (await api('CreateResourceAccount', { DisplayName: 'odd-account', AccountNamePrefix: 'odd' })).Account.AccountId as string;
    const pairs = Object.fromEntries(ODD_KEYS.flatMap((key, i) => [[`Tag.${i + 1}.Key`, key], [`Tag.${i + 1}.Value`, `v-${key}`]]));
    await api('TagResources', { ResourceType: 'Folder', 'ResourceId.1': folderId, ...pairs });
    await api('TagResources', { ResourceType: 'Account', 'ResourceId.1': accountId, ...pairs });
    const tagsOf = async (type: string, id: string) =>
      ((await api('ListTagResources', { ResourceType: type, 'ResourceId.1': id })).TagResources as Array<{ TagKey: string; TagValue: string }>)
        .map((t) => [t.TagKey, t.TagValue])
        .sort();
    const expected = ODD_KEYS.map((key) => [key, `v-${key}`]).sort();

    for (const file of ['odd.yaml', 'odd.json']) {
      await rdmc(['export', join(dir, file)], server.url);
      await adminClient(server.url).post('/reset');
      assert.deepEqual(await tagsOf('Account', accountId), [], 'the reset removed the tags');
      await rdmc(['import', join(dir, file)], server.url);
      assert.deepEqual(await tagsOf('Folder', folderId), expected, file);
      assert.deepEqual(await tagsOf('Account', accountId), expected, file);
    }
    // The admin API reads the JSON body the same way, and so does the apply of POST /_rdmc/state.
    const body = `{"Directories":[{"MasterAccountId":"${KEYS.main.accountId}","Accounts":[{"DisplayName":"odd-posted","Tags":{"__proto__":"v1","constructor":"v2","toString":"v3"}}]}]}`;
    const res = await fetch(`${server.url}/_rdmc/state`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 200, await res.text());
    const accounts = (await api('ListAccounts', { PageSize: 100 })).Accounts.Account as Array<{ AccountId: string; DisplayName: string }>;
    const posted = accounts.find((a) => a.DisplayName === 'odd-posted')!;
    assert.deepEqual(await tagsOf('Account', posted.AccountId), [['__proto__', 'v1'], ['constructor', 'v2'], ['toString', 'v3']]);
    // A value that is not text is still refused, naming its key.
    const bad = await adminClient(server.url).raw('POST', '/state', JSON.parse(body.replace('"v1"', '1')));
    assert.deepEqual([bad.status, bad.body.Code], [400, 'InvalidBody']);
    assert.match(bad.body.Message, /^Directories\.0\.Accounts\.0\.Tags\.__proto__: Expected string/);
  } finally {
    await server.stop();
  }
});

test('a state file with a bad value is refused whole, naming the place, and leaves nothing behind', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const bad = await admin.raw('POST', '/state', { Directories: [{ MasterAccountId: KEYS.main.accountId, Contacts: [{ Name: 'x', Title: 'Boss', EmailAddress: 'x@example.com' }] }] });
    assert.deepEqual([bad.status, bad.body.Code], [400, 'InvalidBody']);
    assert.match(bad.body.Message, /^Directories\.0\.Contacts\.0\.Title: /);
    const badRef = await admin.raw('POST', '/state', {
      Directories: [{ MasterAccountId: KEYS.main.accountId, Folders: [{ FolderName: 'Kept' }], Contacts: [{ Name: 'yy', Title: 'CEO', EmailAddress: 'y@example.com', Members: ['/Nowhere'] }] }],
    });
    assert.deepEqual([badRef.status, badRef.body.Code], [400, 'InvalidState']);
    assert.equal((await openApiCore(server.url)('ListFoldersForParent', {})).Folders.Folder.length, 0, 'the transaction rolled back');
    const stranger = await admin.raw('POST', '/state', { Directories: [{ MasterAccountId: '9999999999999999' }] });
    assert.deepEqual([stranger.status, stranger.body.Code], [400, 'InvalidState']);

    // The CLI checks a file before sending it, and names the place of each problem.
    const file = join(dir, 'bad.yaml');
    await writeFile(file, `Directories:\n  - MasterAccountId: "${KEYS.main.accountId}"\n    Contacts: [{ Name: zz, Title: Boss, EmailAddress: z@example.com }]\n`);
    const refused = await rdmcRefused(['import', file], server.url);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^rdmc import: [^\n]*bad\.yaml:\n {2}- Directories\.0\.Contacts\.0\.Title: Invalid enum value/);
    await writeFile(file, 'Directories: [\n');
    assert.match((await rdmcRefused(['import', file], server.url)).stderr, /bad\.yaml is not valid YAML/);
    // An error answer of the server: Code: Message, exit 1.
    await writeFile(file, `Directories:\n  - MasterAccountId: "9999999999999999"\n`);
    assert.deepEqual(await rdmcRefused(['import', file], server.url), {
      code: 1,
      stderr: 'InvalidState: MasterAccountId 9999999999999999 is the account of no configured access key (RDMC_ACCESS_KEYS).\n',
    });
  } finally {
    await server.stop();
  }
});

/**
 * A state file whose folders nest `depth` levels deep. `compact` leaves out the folder names
 * (every level is then 14 bytes) so that 50,000 levels fit the admin API's 1 MiB body.
 */
function nestedFolders(depth: number, compact = false): string {
  const open = compact ? '{"Folders":[' : '{"FolderName":"f","Folders":[';
  return `{"Directories":[{"MasterAccountId":"${KEYS.main.accountId}","Folders":[${open.repeat(depth - 1)}{"FolderName":"deepest"}${']}'.repeat(depth - 1)}]}]}`;
}

// The schema recurses once per level: a file some thousand levels deep used to overflow the
// stack there (500 InternalError, a stack trace from the CLI) before the depth rule was asked.
test('a state file nested deeper than 5 levels is LimitExceeded.Folder.Depth at any depth, and a refused PUT wipes nothing', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    await admin.post('/state', JSON.parse(nestedFolders(5)));
    for (const [depth, compact] of [[6, false], [100, false], [5_000, false], [50_000, true]] as const) {
      const body = nestedFolders(depth, compact);
      assert.ok(body.length < 1024 * 1024, `${depth} levels fit the body limit`);
      for (const method of ['POST', 'PUT']) {
        const res = await fetch(`${server.url}/_rdmc/state`, { method, headers: { 'content-type': 'application/json' }, body });
        const answer = await res.json();
        assert.deepEqual([res.status, answer.Code], [400, 'LimitExceeded.Folder.Depth'], `${method} ${depth} levels`);
      }
    }
    const kept = await openApiCore(server.url)('ListFoldersForParent', { QueryKeyword: 'f' });
    assert.equal(kept.Folders.Folder.length, 1, 'the 5 levels laid down first are still there');

    // The CLI checks the file before sending it: the same rule, as a message naming the file.
    for (const [depth, compact] of [[6, false], [50_000, true]] as const) {
      const file = join(dir, `deep-${depth}.json`);
      await writeFile(file, nestedFolders(depth, compact));
      const refused = await rdmcRefused(['import', file], server.url);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /^rdmc import: [^\n]*deep-\d+\.json: LimitExceeded\.Folder\.Depth: The folder depth exceeds the limit/);
    }
    const serve = start(process.execPath, [CLI, 'serve', '--db', ':memory:', '--port', '0', '--init', join(dir, 'deep-50000.json')], { env: cleanEnv() });
    const { code } = await serve.exited;
    assert.equal(code, 2, serve.stderr());
    assert.match(serve.stderr(), /^rdmc serve: [^\n]*deep-50000\.json: LimitExceeded\.Folder\.Depth: /);
    assert.doesNotMatch(serve.stderr(), /\n\s+at /, 'no stack trace');
  } finally {
    await server.stop();
  }
});
