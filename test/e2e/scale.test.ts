import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { popCore, type Call } from '../helpers/clients.js';
import { addContact, directoryOf } from '../helpers/contacts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A directory of 100,000 members, the size of a large organisation, end to end on the
 * store under test: seeded through the admin API (the largest seed it accepts), bound on
 * the Root, and deleted without retaining. No timings: `npm run bench` measures those.
 */
const MEMBERS = 100_000;
const DENY = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: ['ram:DeleteRole'], Resource: '*' }] });

describe(`a directory of ${MEMBERS} member accounts`, () => {
  let server: TestServer;
  let call: Call;
  let admin: AdminClient;
  let rootId: string;
  let seeded: string[];

  const centerHas = async (accountId: string, contactId: string) =>
    ((await admin.get(`/accounts/${accountId}/message-center`)).Contacts as Array<{ ContactId: string }>).some((c) => c.ContactId === contactId);

  before(async () => {
    // Jobs are held and run through the admin API, which has no client-side timeout.
    server = await startTestServer({ asyncMode: 'manual' });
    call = popCore(server.url);
    admin = adminClient(server.url);
    rootId = (await directoryOf(call)).rootId;
  });
  after(() => server.stop());

  test('the largest seed the admin API accepts is created whole', async () => {
    const body = await admin.post('/seed', { Accounts: MEMBERS });
    seeded = body.AccountIds;
    assert.equal(seeded.length, MEMBERS);
    assert.equal(new Set(seeded).size, MEMBERS);
    assert.equal(body.FolderId, rootId);
    const listed = await call('ListAccounts', { PageNumber: 1, PageSize: 1 });
    assert.equal(listed.TotalCount, MEMBERS + 1, 'the seeded members and the management account');
  });

  test('a Root binding reaches the last member seeded, and a deletion without retaining removes it everywhere', async () => {
    const last = seeded.at(-1)!;
    const contactId = await addContact(call);
    await call('AssociateMembers', { ContactId: contactId, Members: [rootId] });
    await admin.post('/jobs/run');
    assert.ok(await centerHas(last, contactId), 'the last member lists the contact');
    assert.ok(await centerHas(seeded[0]!, contactId), 'the first member lists the contact');

    assert.equal((await call('DeleteMessageContact', { ContactId: contactId, RetainContactInMembers: false })).Status, 'Deleting');
    await admin.post('/jobs/run');
    // Every member still has its owner subscribed to every type, so nothing blocks the removal.
    await assert.rejects(call('GetMessageContactDeletionStatus', { ContactId: contactId }), /EntityNotExists\.Contact/);
    assert.equal(await centerHas(last, contactId), false);
    assert.equal(await centerHas(seeded[MEMBERS / 2]!, contactId), false);
  });

  test('enabling control policies attaches cp-FullAliyunAccess to every member in one statement; a seed while enabled gets it; disabling drops them all', async () => {
    // Every answer that shows the count agrees (each reads the kept count, migration 26).
    const systemCount = async () => {
      const got = Number((await call('GetControlPolicy', { PolicyId: 'cp-FullAliyunAccess' })).ControlPolicy.AttachmentCount);
      const listed = Number((await call('ListControlPolicies', { PolicyType: 'System' })).ControlPolicies.ControlPolicy[0].AttachmentCount);
      const total = (await call('ListTargetAttachmentsForControlPolicy', { PolicyId: 'cp-FullAliyunAccess', PageSize: 1 })).TotalCount;
      assert.deepEqual([listed, total], [got, got]);
      return got;
    };
    const policiesOf = async (targetId: string) =>
      (await call('ListControlPolicyAttachmentsForTarget', { TargetId: targetId })).ControlPolicyAttachments.ControlPolicyAttachment.map((a: any) => a.PolicyId);
    await call('EnableControlPolicy');
    // The seeded members, the management account and the Root.
    assert.equal(await systemCount(), MEMBERS + 2);
    assert.deepEqual(await policiesOf(seeded.at(-1)!), ['cp-FullAliyunAccess']);
    // The last page, 1,001 pages deep, holds what the count leaves for it: the attachments themselves agree with it.
    const lastPage = await call('ListTargetAttachmentsForControlPolicy', { PolicyId: 'cp-FullAliyunAccess', PageSize: 100, PageNumber: 1001 });
    assert.equal(lastPage.TargetAttachments.TargetAttachment.length, MEMBERS + 2 - 100_000);
    // A custom policy on three members: counted exactly, and a deleted member takes its attachment along.
    const custom = (await call('CreateControlPolicy', { PolicyName: 'scale', PolicyDocument: DENY, EffectScope: 'RAM' })).ControlPolicy.PolicyId as string;
    for (const id of seeded.slice(1, 4)) await call('AttachControlPolicy', { PolicyId: custom, TargetId: id });
    const customCount = async () => Number((await call('GetControlPolicy', { PolicyId: custom })).ControlPolicy.AttachmentCount);
    assert.equal(await customCount(), 3);
    // Deleted members take their attachment along; seeded ones (the directory is at its quota, so as many) get one.
    await call('SetMemberDeletionPermission', { Status: 'Enabled' });
    for (const id of seeded.slice(0, 3)) await call('DeleteAccount', { AccountId: id });
    assert.equal(await systemCount(), MEMBERS - 1);
    assert.equal(await customCount(), 1, 'two of its three members deleted');
    const more = (await admin.post('/seed', { Accounts: 3 })).AccountIds as string[];
    assert.deepEqual(await policiesOf(more[2]!), ['cp-FullAliyunAccess']);
    assert.equal(await systemCount(), MEMBERS + 2);
    await call('DisableControlPolicy');
    assert.equal(await systemCount(), 0);
    assert.equal(await customCount(), 0);
    await call('DeleteControlPolicy', { PolicyId: custom });
    assert.deepEqual(await policiesOf(seeded.at(-1)!), []);
  });
});
