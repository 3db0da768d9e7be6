import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RESOURCE_MANAGER_VERSION, STS_VERSION } from '../../src/domain/api-versions.js';
import { adminClient } from '../helpers/admin.js';
import { assertFailure, openApiClient, popCore, type Call } from '../helpers/clients.js';
import { TestClock } from '../helpers/clock.js';
import { addContact } from '../helpers/contacts.js';
import { SmtpInbox } from '../helpers/inboxes.js';
import { KEYS, RAM_USER_KEYS, withRamUsers } from '../helpers/keys.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { memberRoleArn, START } from '../helpers/sts.js';

/**
 * Invitations between tenants (docs/reference/invitations.md): `main` manages a directory and
 * invites `bare`, a standalone account of RDMC_ACCESS_KEYS, which answers with its own keys;
 * `other` is a second tenant that must see nothing of it.
 */

const DAY = 86_400_000;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const invitee = KEYS.bare.accountId;

const ERR = {
  notExists: [404, 'EntityNotExists.Handshake', 'The specified handshake does not exist.'],
  mismatch: [409, 'HandshakeStatusMismatch', 'The invitation is invalid.'],
  missingId: [400, 'MissingParameter.HandshakeId', 'You must specify HandshakeId.'],
  invalidId: [400, 'InvalidParameter.HandshakeId', 'The HandshakeId is invalid.'],
  noDirectory: [
    404, 'EntityNotExists.ResourceDirectory',
    'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.',
  ],
  typeMismatch: [409, 'AccountTypeOrStatusMismatch', 'You cannot perform the action on the member account.'],
  rate: [409, 'LimitExceeded.InvitationRate', 'The number of invitations sent exceeds the limit.'],
} as const;

interface World {
  server: TestServer;
  clock: TestClock;
  /** main's calls: ResourceDirectoryMaster 2022-04-19 (openapi-client, v3) and ResourceManager 2020-03-31 (pop-core, POST, as Terraform). */
  main: Call;
  main2020: Call;
  /** The invited account's own keys. */
  bare: Call;
  bare2020: Call;
  other: Call;
}

async function startWorld(extra: Parameters<typeof startTestServer>[0] = {}): Promise<World> {
  const clock = new TestClock(START);
  const server = await startTestServer({ accessKeys: withRamUsers(), ...extra }, { clock });
  return {
    server,
    clock,
    main: openApiClient(server.url),
    main2020: popCore(server.url, KEYS.main, 'POST', RESOURCE_MANAGER_VERSION),
    bare: openApiClient(server.url, KEYS.bare),
    bare2020: popCore(server.url, KEYS.bare, 'POST', RESOURCE_MANAGER_VERSION),
    other: openApiClient(server.url, KEYS.other),
  };
}

const invite = async (call: Call, params: Record<string, string> = {}) =>
  (await call('InviteAccountToResourceDirectory', { TargetType: 'Account', TargetEntity: invitee, ...params })).Handshake as Record<string, any>;

test('an invitation by account ID, accepted with the invited account own keys, makes it an invited CloudAccount member', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  const rd = (await w.main('GetResourceDirectory')).ResourceDirectory;
  const h = await invite(w.main2020, { Note: 'join us' });
  assert.match(h.HandshakeId, /^h-[A-Za-z0-9]{16}$/);
  assert.deepEqual(
    { ...h, CreateTime: undefined, ModifyTime: undefined, ExpireTime: undefined },
    {
      HandshakeId: h.HandshakeId,
      ResourceDirectoryId: rd.ResourceDirectoryId,
      MasterAccountId: KEYS.main.accountId,
      MasterAccountName: rd.MasterAccountName,
      TargetType: 'Account',
      TargetEntity: invitee,
      Note: 'join us',
      Status: 'Pending',
      CreateTime: undefined,
      ModifyTime: undefined,
      ExpireTime: undefined,
    },
  );
  assert.match(h.CreateTime, TIME);
  assert.equal(Date.parse(h.ExpireTime) - Date.parse(h.CreateTime), 14 * DAY);

  // The invitation e-mail went to the account's logon address, through the outbox.
  const mail = (await adminClient(w.server.url).get(`/outbox?To=${invitee}@aliyun.com`)).Messages;
  assert.equal(mail.length, 1);
  assert.equal(mail[0].Channel, 'email');
  assert.match(mail[0].Body, new RegExp(`Invitation ID: ${h.HandshakeId}\\.`));
  assert.match(mail[0].Body, /Note: join us/);

  // Both sides read it; only the invitee is shown the real names.
  const byMaster = (await w.main('GetHandshake', { HandshakeId: h.HandshakeId })).Handshake;
  assert.equal(byMaster.InvitedAccountRealName, undefined);
  assert.equal(byMaster.Status, 'Pending');
  const byInvitee = (await w.bare2020('GetHandshake', { HandshakeId: h.HandshakeId })).Handshake;
  assert.equal(byInvitee.InvitedAccountRealName, `${invitee}@aliyun.com`);
  assert.equal(byInvitee.MasterAccountRealName, rd.MasterAccountName);

  // A contact bound to the directory reaches the member once it joins.
  const contact = await addContact(w.main, { Name: 'everyone', EmailAddress: 'everyone@example.com', Title: 'Other', MessageTypes: ['FaultMessage'] });
  await w.main('AssociateMembers', { ContactId: contact, Members: [rd.ResourceDirectoryId] });

  w.clock.advance(60_000);
  const accepted = (await w.bare('AcceptHandshake', { HandshakeId: h.HandshakeId })).Handshake;
  assert.equal(accepted.Status, 'Accepted');
  assert.equal(Date.parse(accepted.ModifyTime) - Date.parse(h.ModifyTime), 60_000);

  const account = (await w.main2020('GetAccount', { AccountId: invitee })).Account;
  assert.deepEqual(
    [account.Type, account.JoinMethod, account.Status, account.FolderId, account.DisplayName, account.ResourceDirectoryId],
    ['CloudAccount', 'invited', 'InviteSuccess', rd.RootFolderId, `account-${invitee}`, rd.ResourceDirectoryId],
  );
  // The member sees its directory, and the accepted invitation still reads, as Accepted.
  assert.equal((await w.bare('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, rd.ResourceDirectoryId);
  assert.equal((await w.main('GetHandshake', { HandshakeId: h.HandshakeId })).Handshake.Status, 'Accepted');
  const center = await adminClient(w.server.url).get(`/accounts/${invitee}/message-center`);
  assert.deepEqual(center.Contacts.map((c: any) => c.ContactId), [contact]);

  // ResourceDirectoryAccountAccessRole: main's RAM user assumes it, and acts as the member.
  const sts = openApiClient(w.server.url, RAM_USER_KEYS.main, 'v3', undefined, STS_VERSION);
  const assumed = await sts('AssumeRole', { RoleArn: memberRoleArn(invitee), RoleSessionName: 'invited' });
  assert.equal(assumed.AssumedRoleUser.Arn, `acs:ram::${invitee}:role/ResourceDirectoryAccountAccessRole/invited`);

  // Answered once: a second answer of either kind is refused, and so is an invitation to a member.
  await assertFailure(w.bare('AcceptHandshake', { HandshakeId: h.HandshakeId }), ...ERR.mismatch);
  await assertFailure(w.bare('DeclineHandshake', { HandshakeId: h.HandshakeId }), ...ERR.mismatch);
  await assertFailure(w.main('CancelHandshake', { HandshakeId: h.HandshakeId }), ...ERR.mismatch);
  await assertFailure(invite(w.main), 409, 'EntityAlreadyExists.ResourceDir.Account', 'This resource directory account already exists.');
});

test('an invitation by e-mail places the member in its folder with its tags (2022-04-19); 2020-03-31 takes no ParentFolderId', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  const folder = (await w.main('CreateFolder', { FolderName: 'invited' })).Folder.FolderId;
  const h = await invite(w.main, {
    TargetType: 'Email',
    TargetEntity: `${invitee}@aliyun.com`,
    ParentFolderId: folder,
    'Tag.1.Key': 'team',
    'Tag.1.Value': 'blue',
  });
  assert.deepEqual([h.TargetType, h.TargetEntity], ['Email', `${invitee}@aliyun.com`]);
  assert.equal((await adminClient(w.server.url).get(`/outbox?To=${invitee}@aliyun.com`)).Messages.length, 1);
  await w.bare2020('AcceptHandshake', { HandshakeId: h.HandshakeId });
  const account = (await w.main('GetAccount', { AccountId: invitee, IncludeTags: true })).Account;
  assert.equal(account.FolderId, folder);
  assert.deepEqual(account.Tags, [{ Key: 'team', Value: 'blue' }]);
  await assertFailure(
    w.main2020('InviteAccountToResourceDirectory', { TargetType: 'Account', TargetEntity: KEYS.other.accountId, ParentFolderId: folder }),
    400, 'InvalidParameter', 'The parameter "ParentFolderId" is not supported by this action.',
  );
});

test('decline, cancel and expiry end an invitation; each ended one is pruned 30 days after it ended', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  const declined = await invite(w.main);
  assert.equal((await w.bare2020('DeclineHandshake', { HandshakeId: declined.HandshakeId })).Handshake.Status, 'Declined');
  w.clock.advance(1_000);
  const cancelled = await invite(w.main);
  assert.equal((await w.main2020('CancelHandshake', { HandshakeId: cancelled.HandshakeId })).Handshake.Status, 'Cancelled');
  await assertFailure(w.bare('AcceptHandshake', { HandshakeId: cancelled.HandshakeId }), ...ERR.mismatch);
  w.clock.advance(1_000);
  const expiring = await invite(w.main);

  w.clock.advance(14 * DAY - 1_000);
  assert.equal((await w.bare('GetHandshake', { HandshakeId: expiring.HandshakeId })).Handshake.Status, 'Pending');
  w.clock.advance(1_000);
  assert.equal((await w.bare('GetHandshake', { HandshakeId: expiring.HandshakeId })).Handshake.Status, 'Expired');
  await assertFailure(w.bare('AcceptHandshake', { HandshakeId: expiring.HandshakeId }), ...ERR.mismatch);
  await assertFailure(w.main('CancelHandshake', { HandshakeId: expiring.HandshakeId }), ...ERR.mismatch);
  // An expired invitation no longer holds the target: a new one may be sent.
  const fresh = await invite(w.main);
  const statuses = (await w.main('ListHandshakesForResourceDirectory')).Handshakes.Handshake.map((h: any) => h.Status);
  assert.deepEqual(statuses, ['Pending', 'Expired', 'Cancelled', 'Declined']);

  // Declined and cancelled ended on day 0, the expired one on day 14: retention (30 days) takes them in that order.
  const admin = adminClient(w.server.url);
  w.clock.advance(16 * DAY);
  await admin.post('/jobs/run');
  await assertFailure(w.main('GetHandshake', { HandshakeId: declined.HandshakeId }), ...ERR.notExists);
  await assertFailure(w.main('GetHandshake', { HandshakeId: cancelled.HandshakeId }), ...ERR.notExists);
  assert.equal((await w.main('GetHandshake', { HandshakeId: expiring.HandshakeId })).Handshake.Status, 'Expired');
  w.clock.advance(14 * DAY + 1_000);
  await admin.post('/jobs/run');
  await assertFailure(w.main('GetHandshake', { HandshakeId: expiring.HandshakeId }), ...ERR.notExists);
  // The fresh one expired on day 28 and is kept until day 58.
  assert.equal((await w.main('GetHandshake', { HandshakeId: fresh.HandshakeId })).Handshake.Status, 'Expired');
});

test('both lists page, newest first; the invitee lists what it was sent, a management account what its directory sent too', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const fromMain = await invite(w.main);
  w.clock.advance(1_000);
  const fromOther = await invite(w.other);
  w.clock.advance(1_000);
  // other is itself invited by main: it is a management account, so it cannot be.
  await assertFailure(
    invite(w.main, { TargetEntity: KEYS.other.accountId }),
    409, 'NotSupport.AccountInAnotherResourceDirectory', 'The invited account already belongs to another resource directory.',
  );
  const ids = (page: Record<string, any>) => page.Handshakes.Handshake.map((h: any) => h.HandshakeId);
  const forBare = await w.bare('ListHandshakesForAccount');
  assert.deepEqual([forBare.TotalCount, forBare.PageNumber, forBare.PageSize, ids(forBare)], [2, 1, 10, [fromOther.HandshakeId, fromMain.HandshakeId]]);
  const second = await w.bare2020('ListHandshakesForAccount', { PageNumber: 2, PageSize: 1 });
  assert.deepEqual([second.TotalCount, ids(second)], [2, [fromMain.HandshakeId]]);
  assert.deepEqual(ids(await w.main('ListHandshakesForAccount')), [fromMain.HandshakeId]);
  assert.deepEqual(ids(await w.other('ListHandshakesForResourceDirectory')), [fromOther.HandshakeId]);
  assert.deepEqual(ids(await w.main2020('ListHandshakesForResourceDirectory')), [fromMain.HandshakeId]);
  await assertFailure(w.bare('ListHandshakesForResourceDirectory'), ...ERR.noDirectory);
  await assertFailure(w.main('ListHandshakesForResourceDirectory', { PageSize: 101 }), 400, 'InvalidParameter.PageSize', 'The PageSize is invalid.');

  // Accepting one invitation leaves the account unable to accept the other.
  await w.bare('AcceptHandshake', { HandshakeId: fromOther.HandshakeId });
  await assertFailure(
    w.bare('AcceptHandshake', { HandshakeId: fromMain.HandshakeId }),
    409, 'NotSupport.AccountInAnotherResourceDirectory', 'Your account is a management account for another resource directory or a member of another resource directory.',
  );
  // It may still decline it.
  assert.equal((await w.bare('DeclineHandshake', { HandshakeId: fromMain.HandshakeId })).Handshake.Status, 'Declined');
});

test('a tenant can neither see, accept, decline nor cancel another tenant’s invitation: it answers as missing', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const h = await invite(w.main);
  const id = { HandshakeId: h.HandshakeId };
  for (const [who, call] of [['other', w.other], ['main as invitee', w.main]] as const) {
    await t.test(who, async () => {
      await assertFailure(call('AcceptHandshake', id), ...ERR.notExists);
      await assertFailure(call('DeclineHandshake', id), ...ERR.notExists);
    });
  }
  await assertFailure(w.other('GetHandshake', id), ...ERR.notExists);
  await assertFailure(w.other('CancelHandshake', id), ...ERR.notExists);
  await assertFailure(w.bare('CancelHandshake', id), ...ERR.notExists);
  assert.equal((await w.other('ListHandshakesForResourceDirectory')).TotalCount, 0);
  assert.equal((await w.other('ListHandshakesForAccount')).TotalCount, 0);
  // The same answer as for an ID nobody has.
  await assertFailure(w.main('GetHandshake', { HandshakeId: 'h-NoSuchHandshake0' }), ...ERR.notExists);
  await assertFailure(w.other('RemoveCloudAccount', { AccountId: invitee }), 404, 'EntityNotExists.Account', 'This resource directory account does not exist.');
});

test('every documented refusal of the invitation actions', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  const i = (params: Record<string, string>) => w.main('InviteAccountToResourceDirectory', params);
  await assertFailure(i({ TargetType: 'Account' }), 400, 'MissingParameter.TargetEntity', 'You must specify TargetEntity.');
  await assertFailure(i({ TargetEntity: invitee }), 400, 'MissingParameter.TargetType', 'You must specify TargetType.');
  await assertFailure(i({ TargetEntity: invitee, TargetType: 'Phone' }), 400, 'InvalidParameter.TargetType', 'The TargetType is invalid.');
  const badEntity = [400, 'InvalidParameter.TargetEntity', 'The TargetEntity is invalid.'] as const;
  await assertFailure(i({ TargetEntity: '12345', TargetType: 'Account' }), ...badEntity);
  await assertFailure(i({ TargetEntity: 'not-an-address', TargetType: 'Email' }), ...badEntity);
  // Well formed, but no account rdmc knows.
  await assertFailure(i({ TargetEntity: '9999999999999999', TargetType: 'Account' }), ...badEntity);
  await assertFailure(i({ TargetEntity: 'nobody@example.com', TargetType: 'Email' }), ...badEntity);
  await assertFailure(invite(w.main, { Note: 'x'.repeat(1025) }), 400, 'InvalidParameter.Note.Length', 'The length of the invitation note exceeds the limit.');
  await assertFailure(invite(w.main, { Note: 'a\u0001b' }), 400, 'InvalidParameter.Note', 'The Note is invalid.');
  await assertFailure(invite(w.main, { ParentFolderId: 'nope' }), 400, 'InvalidParameter.ParentFolderId', 'The ParentFolderId is invalid.');
  await assertFailure(invite(w.main, { ParentFolderId: 'fd-0000000000' }), 404, 'EntityNotExists.Folder', 'The resource directory folder does not exist.');
  await assertFailure(invite(w.main, { TargetEntity: KEYS.main.accountId }), 409, 'EntityAlreadyExists.ResourceDir.Account', 'This resource directory account already exists.');
  await assertFailure(invite(w.bare, { TargetEntity: KEYS.other.accountId }), ...ERR.noDirectory);
  await invite(w.main);
  await assertFailure(invite(w.main), 409, 'EntityAlreadyExists.Handshake', 'Handshakes with the same target entity already exist.');
  await assertFailure(invite(w.main, { TargetType: 'Email', TargetEntity: `${invitee}@aliyun.com` }), 409, 'EntityAlreadyExists.Handshake', 'Handshakes with the same target entity already exist.');

  for (const action of ['AcceptHandshake', 'DeclineHandshake', 'CancelHandshake', 'GetHandshake']) {
    await assertFailure(w.bare(action), ...ERR.missingId);
    await assertFailure(w.bare(action, { HandshakeId: 'x-1' }), ...ERR.invalidId);
    await assertFailure(w.bare(action, { HandshakeId: 'h-NoSuchHandshake0' }), ...ERR.notExists);
  }

  await assertFailure(w.main('RemoveCloudAccount'), 400, 'MissingParameter.AccountId', 'You must specify AccountId.');
  await assertFailure(w.main('RemoveCloudAccount', { AccountId: '12' }), 400, 'InvalidParameter.AccountId', 'Specify a 16-digit ID.');
  await assertFailure(w.main('RemoveCloudAccount', { AccountId: invitee }), 404, 'EntityNotExists.Account', 'This resource directory account does not exist.');
  await assertFailure(w.main('RemoveCloudAccount', { AccountId: KEYS.main.accountId }), ...ERR.typeMismatch);
  const created = (await w.main('CreateResourceAccount', { DisplayName: 'made here' })).Account.AccountId;
  await assertFailure(w.main('RemoveCloudAccount', { AccountId: created }), ...ERR.typeMismatch);
  await assertFailure(w.bare('RemoveCloudAccount', { AccountId: created }), ...ERR.noDirectory);
});

test('an invitation of a destroyed directory cannot be accepted', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const h = await invite(w.other);
  await w.other('DestroyResourceDirectory');
  await assertFailure(
    w.bare('AcceptHandshake', { HandshakeId: h.HandshakeId }),
    404, 'SpecifiedResourceDirectoryNotExists', 'The specified resource directory does not exist. You must specify a valid resource directory.',
  );
});

test('RemoveCloudAccount takes an invited member out; the directory cannot be destroyed until it is gone; it may be invited again', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const h = await invite(w.other);
  await w.bare('AcceptHandshake', { HandshakeId: h.HandshakeId });
  await assertFailure(
    w.other('DestroyResourceDirectory'),
    409, 'DeleteConflict.ResourceDirectory.Account',
    'Failed to delete the resource directory because one or more member accounts exist. We recommend that you first remove these member accounts.',
  );
  await popCore(w.server.url, KEYS.other, 'POST', RESOURCE_MANAGER_VERSION)('RemoveCloudAccount', { AccountId: invitee });
  await assertFailure(w.other('GetAccount', { AccountId: invitee }), 404, 'EntityNotExists.Account', 'This resource directory account does not exist.');
  await assertFailure(w.bare('GetResourceDirectory'), 404, 'ResourceDirectoryNotInUse', 'The specified account is not an Alibaba Cloud account or a member account of the resource directory.');
  // Its accepted invitation stays readable until retention, 30 days after the removal.
  assert.equal((await w.other('GetHandshake', { HandshakeId: h.HandshakeId })).Handshake.Status, 'Accepted');
  await w.other('DestroyResourceDirectory');
  // A standalone account again: main may invite it.
  const again = await invite(w.main);
  await w.bare('AcceptHandshake', { HandshakeId: again.HandshakeId });
  assert.equal((await w.main('GetAccount', { AccountId: invitee })).Account.JoinMethod, 'invited');
  await w.main('RemoveCloudAccount', { AccountId: invitee });
  assert.equal((await w.main('ListAccounts')).TotalCount, 1);
});

test('rate limits and the pending quota bound what a directory sends; accepted invitations are not counted', async (t) => {
  const w = await startWorld({ invitationsPerDay: 3, invitationsPending: 1, invitationsPerTargetPerDay: 2 });
  t.after(() => w.server.stop());
  const cancel = async (h: Record<string, any>) => w.main('CancelHandshake', { HandshakeId: h.HandshakeId });
  await cancel(await invite(w.main));
  await cancel(await invite(w.main));
  await assertFailure(invite(w.main), 409, 'LimitExceeded.SameTargetInvitationRate', 'The number of invitations sent to the same target exceeds the limit.');
  // The third of the day, to another account, is pending: the quota of one pending is reached.
  const third = await invite(w.main, { TargetEntity: KEYS.other.accountId });
  await assertFailure(invite(w.main, { TargetType: 'Email', TargetEntity: `${invitee}@aliyun.com` }), ...ERR.rate);
  // Cancelled, it frees the quota, but three were sent today.
  await cancel(third);
  await assertFailure(invite(w.main), ...ERR.rate);
  // A day later both rates start over.
  w.clock.advance(DAY);
  const next = await invite(w.main);
  await w.bare('AcceptHandshake', { HandshakeId: next.HandshakeId });
  await cancel(await invite(w.main, { TargetEntity: KEYS.other.accountId }));
  await cancel(await invite(w.main, { TargetEntity: KEYS.other.accountId }));
  // Three sent this day, one of them accepted: two count, so a third may go.
  await assertFailure(invite(w.main, { TargetEntity: KEYS.other.accountId }), 409, 'LimitExceeded.SameTargetInvitationRate', 'The number of invitations sent to the same target exceeds the limit.');
});

test('the member quota bounds invitations and acceptances', async (t) => {
  const w = await startWorld({ accountQuota: 1 });
  t.after(() => w.server.stop());
  const h = await invite(w.main);
  await w.main('CreateResourceAccount', { DisplayName: 'takes the place' });
  const full = [409, 'LimitExceeded.Account', 'The maximum number of member accounts in a resource directory exceeds the limit.'] as const;
  await assertFailure(w.bare('AcceptHandshake', { HandshakeId: h.HandshakeId }), ...full);
  await assertFailure(invite(w.main, { TargetEntity: KEYS.other.accountId }), ...full);
});

test('a state export keeps an invited member as invited, and an import or a replace lays it down again; a tenant elsewhere cannot join', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  const admin = adminClient(w.server.url);
  await w.bare('AcceptHandshake', { HandshakeId: (await invite(w.main)).HandshakeId });
  const { State: state } = await admin.get('/state');
  const [entry] = state.Directories[0].Accounts;
  assert.deepEqual(entry, { AccountId: invitee, DisplayName: `account-${invitee}`, AccountName: `${invitee}@aliyun.com`, JoinMethod: 'invited' });
  for (const method of ['PUT', 'POST']) {
    const r = await admin.raw(method, '/state', state);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const account = (await w.main('GetAccount', { AccountId: invitee })).Account;
    assert.deepEqual([account.Type, account.JoinMethod, account.Status], ['CloudAccount', 'invited', 'InviteSuccess']);
    assert.equal((await w.bare('GetResourceDirectory')).ResourceDirectory.ResourceDirectoryId, state.Directories[0].ResourceDirectoryId);
  }
  // Without JoinMethod, a tenant's account is no member; nor can one that manages a directory join.
  const plain = structuredClone(state);
  delete plain.Directories[0].Accounts[0].JoinMethod;
  const refused = await admin.raw('PUT', '/state', plain);
  assert.deepEqual([refused.status, refused.body.Code, refused.body.Message], [
    400, 'InvalidState',
    `Directories.0.Accounts.0: AccountId ${invitee} is a tenant's own account (RDMC_ACCESS_KEYS), not a member account: mark it JoinMethod: invited.`,
  ]);
  await w.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const elsewhere = structuredClone(state);
  elsewhere.Directories[0].Accounts.push({ AccountId: KEYS.other.accountId, DisplayName: 'other tenant', JoinMethod: 'invited' });
  const taken = await admin.raw('POST', '/state', elsewhere);
  assert.deepEqual([taken.status, taken.body.Code, taken.body.Message], [
    400, 'InvalidState',
    `AccountId ${KEYS.other.accountId} (other tenant) belongs to another directory: only a standalone account joins by invitation.`,
  ]);
});

test('answers racing for one account: of two acceptances, or an acceptance and EnableResourceDirectory, exactly one wins', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  const settled = async (calls: Array<Promise<unknown>>) =>
    (await Promise.allSettled(calls)).map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as any).data?.Code)).sort();
  const [a, b] = [await invite(w.main), await invite(w.other)];
  assert.deepEqual(
    await settled([w.bare('AcceptHandshake', { HandshakeId: a.HandshakeId }), w.bare2020('AcceptHandshake', { HandshakeId: b.HandshakeId })]),
    ['NotSupport.AccountInAnotherResourceDirectory', 'ok'],
  );
  const members = (await w.main('ListAccounts')).TotalCount + (await w.other('ListAccounts')).TotalCount;
  assert.equal(members, 3, 'the account is a member of one directory only (each counts its management account)');
  // The winner takes it out again and invites it anew (the loser's invitation is still pending).
  const winner = (await w.bare('GetResourceDirectory')).ResourceDirectory.MasterAccountId === KEYS.main.accountId ? w.main : w.other;
  await winner('RemoveCloudAccount', { AccountId: invitee });
  const c = await invite(winner);
  const outcome = await settled([w.bare('AcceptHandshake', { HandshakeId: c.HandshakeId }), w.bare('EnableResourceDirectory', { EnableMode: 'CurrentAccount' })]);
  assert.equal(outcome.filter((o) => o === 'ok').length, 1, JSON.stringify(outcome));
  const joinedWinner = (await winner('ListAccounts')).TotalCount === 2;
  const ownsOne = (await w.bare('GetResourceDirectory')).ResourceDirectory.MasterAccountId === invitee;
  assert.notEqual(joinedWinner, ownsOne);
});

test('with an SMTP server configured, the invitation e-mail is delivered through the e-mail channel', async (t) => {
  const smtp = new SmtpInbox();
  const port = await smtp.start();
  t.after(() => smtp.stop());
  const w = await startWorld({ smtpUrl: `smtp://127.0.0.1:${port}` });
  t.after(() => w.server.stop());
  const h = await invite(w.main, { TargetType: 'Email', TargetEntity: `${invitee}@aliyun.com`, Note: 'welcome' });
  const [mail] = smtp.to(`${invitee}@aliyun.com`);
  assert.ok(mail, 'the invitation reached the SMTP server');
  assert.deepEqual(mail.recipients, [`${invitee}@aliyun.com`]);
  assert.equal(mail.subject, 'Invitation to join a resource directory');
  assert.match(mail.text, new RegExp(`Invitation ID: ${h.HandshakeId}\\.`));
  const [recorded] = (await adminClient(w.server.url).get(`/outbox?To=${invitee}@aliyun.com`)).Messages;
  assert.equal(recorded.Delivery, 'sent');
});

test("a RAM user of the invited account answers as the account; a RAM user of the inviting one cannot", async (t) => {
  const bareUser = { accessKeyId: 'testBareUserKey', accessKeySecret: 'testBareUserSecret', accountId: invitee, userName: 'admin' };
  const w = await startWorld({ accessKeys: [...withRamUsers(), bareUser] });
  t.after(() => w.server.stop());
  const h = await invite(w.main);
  await assertFailure(openApiClient(w.server.url, RAM_USER_KEYS.main)('AcceptHandshake', { HandshakeId: h.HandshakeId }), ...ERR.notExists);
  const accepted = (await popCore(w.server.url, bareUser, 'POST', RESOURCE_MANAGER_VERSION)('AcceptHandshake', { HandshakeId: h.HandshakeId })).Handshake;
  assert.equal(accepted.Status, 'Accepted');
  assert.equal((await w.main('GetAccount', { AccountId: invitee })).Account.JoinMethod, 'invited');
});

test('while control policies are enabled, an accepted member gets cp-FullAliyunAccess as a created one does; removing it drops the attachment', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.main2020('EnableControlPolicy');
  const h = await invite(w.main2020);
  await w.bare('AcceptHandshake', { HandshakeId: h.HandshakeId });
  const attached = (await w.main2020('ListControlPolicyAttachmentsForTarget', { TargetId: invitee })).ControlPolicyAttachments.ControlPolicyAttachment;
  assert.deepEqual(attached.map((a: any) => [a.PolicyId, a.PolicyType]), [['cp-FullAliyunAccess', 'System']]);
  const targets = (await w.main2020('ListTargetAttachmentsForControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).TargetAttachments.TargetAttachment;
  assert.ok(targets.some((a: any) => a.TargetId === invitee && a.TargetType === 'Account'));
  await w.main2020('RemoveCloudAccount', { AccountId: invitee });
  const after = (await w.main2020('ListTargetAttachmentsForControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).TargetAttachments.TargetAttachment;
  assert.ok(!after.some((a: any) => a.TargetId === invitee));
});

test('RemoveCloudAccount refuses a delegated administrator with Deny.TrustedService, naming the service, until it is deregistered', async (t) => {
  const w = await startWorld();
  t.after(() => w.server.stop());
  await w.bare('AcceptHandshake', { HandshakeId: (await invite(w.main)).HandshakeId });
  await w.main('RegisterDelegatedAdministrator', { AccountId: invitee, ServicePrincipal: 'cloudfw.aliyuncs.com' });
  await w.main('RegisterDelegatedAdministrator', { AccountId: invitee, ServicePrincipal: 'actiontrail.aliyuncs.com' });
  const used = [409, 'Deny.TrustedService', 'You attempted to remove an account that is used in actiontrail.aliyuncs.com. To complete this operation, you must first remove this account from the Trusted Service.'] as const;
  await assertFailure(w.main('RemoveCloudAccount', { AccountId: invitee }), ...used);
  await assertFailure(w.main2020('RemoveCloudAccount', { AccountId: invitee }), ...used);
  // Nothing was taken: the member and both delegations stay.
  assert.equal((await w.main('GetAccount', { AccountId: invitee })).Account.Type, 'CloudAccount');
  assert.equal((await w.main('ListDelegatedAdministrators')).TotalCount, 2);
  await w.main('DeregisterDelegatedAdministrator', { AccountId: invitee, ServicePrincipal: 'actiontrail.aliyuncs.com' });
  await assertFailure(w.main('RemoveCloudAccount', { AccountId: invitee }), 409, 'Deny.TrustedService', 'You attempted to remove an account that is used in cloudfw.aliyuncs.com. To complete this operation, you must first remove this account from the Trusted Service.');
  await w.main('DeregisterDelegatedAdministrator', { AccountId: invitee, ServicePrincipal: 'cloudfw.aliyuncs.com' });
  await w.main('RemoveCloudAccount', { AccountId: invitee });
  assert.equal((await w.main('ListAccounts')).TotalCount, 1);
});
