import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adminClient } from '../helpers/admin.js';
import { openApiCore } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Who the configured keys are, as state files and the console show it (docs/reference/identity.md):
 * each key's ID, account, identity type, RAM user name and ARN, never a secret. A state export
 * lists them under `Identities`; an import accepts and ignores them, since identities come
 * from configuration.
 */
const RAM_USER = { accessKeyId: 'testOpsKey', accessKeySecret: 'testOpsSecret', accountId: KEYS.main.accountId, userName: 'ops-bot' };
const SECRETS = [...Object.values(KEYS).map((k) => k.accessKeySecret), RAM_USER.accessKeySecret];

const EXPECTED = [
  { AccessKeyId: KEYS.main.accessKeyId, AccountId: KEYS.main.accountId, IdentityType: 'Account', Arn: `acs:ram::${KEYS.main.accountId}:root` },
  { AccessKeyId: KEYS.other.accessKeyId, AccountId: KEYS.other.accountId, IdentityType: 'Account', Arn: `acs:ram::${KEYS.other.accountId}:root` },
  { AccessKeyId: KEYS.bare.accessKeyId, AccountId: KEYS.bare.accountId, IdentityType: 'Account', Arn: `acs:ram::${KEYS.bare.accountId}:root` },
  { AccessKeyId: RAM_USER.accessKeyId, AccountId: KEYS.main.accountId, IdentityType: 'RAMUser', UserName: 'ops-bot', Arn: `acs:ram::${KEYS.main.accountId}:user/ops-bot` },
];

let server: TestServer;
before(async () => {
  server = await startTestServer({ accessKeys: [...Object.values(KEYS).map((k) => ({ ...k })), RAM_USER] });
});
after(() => server.stop());

test('a state export lists every configured identity without a secret; an import accepts the list and ignores it', async () => {
  const admin = adminClient(server.url);
  await openApiCore(server.url)('CreateResourceAccount', { DisplayName: 'identity-member', AccountNamePrefix: 'identity-member' });
  const raw = await fetch(`${server.url}/_rdmc/state`);
  const text = await raw.text();
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `the export holds the secret ${secret}`);
  const { State } = JSON.parse(text);
  assert.deepEqual(State.Identities, EXPECTED);

  // Out and back in: the same file, the identities unchanged, whatever the file said of them.
  await admin.post('/reset');
  const edited = { ...State, Identities: [{ ...EXPECTED[0], AccessKeyId: 'someone-else', IdentityType: 'RAMUser', UserName: 'x' }] };
  assert.deepEqual((await admin.put('/state', edited)).Applied, { Folders: 0, Accounts: 1, Contacts: 0 });
  assert.deepEqual((await admin.get('/state')).State, State);

  // The list has no room for a secret: a file that carries one is refused, not stored.
  const leaky = { ...State, Identities: [{ ...EXPECTED[0], AccessKeySecret: KEYS.main.accessKeySecret }] };
  const refused = await admin.raw('PUT', '/state', leaky);
  assert.equal(refused.status, 400);
  assert.match(JSON.stringify(refused.body), /Identities\.0/);
});

test('the console lists the configured identities: key, account, type, user name and ARN, never a secret', async () => {
  const res = await fetch(`${server.url}/_rdmc/console/identities`);
  assert.equal(res.status, 200);
  const html = await res.text();
  for (const secret of SECRETS) assert.ok(!html.includes(secret), `the page holds the secret ${secret}`);
  const rows = html.split('<tr>').slice(2);
  assert.equal(rows.length, EXPECTED.length);
  for (const [i, identity] of EXPECTED.entries()) {
    for (const value of [identity.AccessKeyId, identity.AccountId, identity.IdentityType, identity.Arn, identity.UserName ?? '(the account itself)']) {
      assert.ok(rows[i]!.includes(value), `row ${i} lacks ${value}: ${rows[i]}`);
    }
  }
  // Every page links to it.
  const home = await (await fetch(`${server.url}/_rdmc/console`)).text();
  assert.match(home, /<a href="\/_rdmc\/console\/identities">Identities<\/a>/);
});
