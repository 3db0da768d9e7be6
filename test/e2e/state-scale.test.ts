import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MAX_STATE_FILE_BYTES } from '../../src/cli/state-io.js';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { CLI, cleanEnv, start } from '../helpers/spawn.js';
import { KEYS, startTestServer } from '../helpers/server.js';

/**
 * State files at scale: `GET /_rdmc/state` streams one snapshot a page at a time (no answer
 * built whole in memory, no other request held up while a reader is slow), and files read from
 * disk are bounded in size and in YAML aliases before they are parsed.
 */

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rdmc-state-scale-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function rdmcRefused(args: string[], endpoint: string) {
  const proc = start(process.execPath, [CLI, ...args], { env: cleanEnv({ RDMC_ENDPOINT: endpoint }) });
  return { code: (await proc.exited).code, stderr: proc.stderr() };
}

test('GET /_rdmc/state streams one snapshot: the reader paused, other tenants are served and a write made meanwhile is not in it', async () => {
  const server = await startTestServer();
  try {
    const admin = adminClient(server.url);
    const api = openApiCore(server.url);
    const folderId = (await api('CreateFolder', { FolderName: 'big' })).Folder.FolderId as string;
    // More than one page of accounts in the Root and in a folder.
    await admin.post('/seed', { Accounts: 2_500 });
    await admin.post('/seed', { Accounts: 1_500, ParentFolderId: folderId });
    await api('TagResources', { ResourceType: 'Folder', 'ResourceId.1': folderId, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' });
    const other = openApiCore(server.url, KEYS.other);
    await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
    const theirs = await addContact(other);

    const { port } = new URL(server.url);
    const answer = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      request({ host: '127.0.0.1', port, path: '/_rdmc/state' }, resolve).on('error', reject).end(),
    );
    answer.pause();
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.headers['content-length'], undefined, 'streamed, not built whole');
    assert.equal(answer.headers['transfer-encoding'], 'chunked');
    // While the export waits for its reader: another tenant reads, this one writes.
    assert.equal((await other('GetMessageContact', { ContactId: theirs })).Contact.ContactId, theirs);
    await admin.post('/seed', { Accounts: 10 });
    const chunks: Buffer[] = [];
    for await (const chunk of answer) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const mine = body.State.Directories.find((d: { MasterAccountId: string }) => d.MasterAccountId === KEYS.main.accountId);
    assert.equal(mine.Accounts.length, 2_500, 'the seed made after the export began is not in it');
    assert.deepEqual(mine.Folders.map((f: { FolderName: string; Tags: unknown; Accounts: unknown[] }) => [f.FolderName, f.Tags, f.Accounts.length]), [['big', { k: 'v' }, 1_500]]);
    const ids = mine.Accounts.map((a: { AccountId: string }) => a.AccountId);
    assert.deepEqual(ids, [...ids].sort(), 'accounts by ID');
    assert.equal(body.State.Directories.length, 2);
    // The same answer as a whole: the exported file imports back as it was.
    await admin.put('/state', body.State);
    assert.deepEqual((await admin.get('/state')).State, body.State);
  } finally {
    await server.stop();
  }
});

test('a YAML state file with more than 100 aliases is refused before they are resolved (their cost grows with the square of their number)', async () => {
  const server = await startTestServer();
  try {
    const accounts = Array.from({ length: 20_000 }, (_, i) => `      - { DisplayName: &a${i} account-${i}, Tags: { name: *a${i} } }`);
    const file = join(dir, 'aliases.yaml');
    await writeFile(file, `Directories:\n  - MasterAccountId: "${KEYS.main.accountId}"\n    Accounts:\n${accounts.join('\n')}\n`);
    const refused = await rdmcRefused(['import', file], server.url);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /aliases\.yaml is not valid YAML: more than 100 aliases/);
    // A few aliases are YAML like any other.
    await writeFile(file, `Directories:\n  - MasterAccountId: "${KEYS.main.accountId}"\n    Accounts:\n${accounts.slice(0, 100).join('\n')}\n`);
    const imported = start(process.execPath, [CLI, 'import', file], { env: cleanEnv({ RDMC_ENDPOINT: server.url }) });
    assert.equal((await imported.exited).code, 0, imported.stderr());
  } finally {
    await server.stop();
  }
});

test('a state file larger than the bound is refused before it is read', async () => {
  const file = join(dir, 'huge.json');
  await writeFile(file, '');
  await truncate(file, MAX_STATE_FILE_BYTES + 1);
  const refused = await rdmcRefused(['import', file], 'http://127.0.0.1:9');
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /cannot read [^\n]*huge\.json: \d+ bytes, more than the \d+ a state file may hold/);
});
