import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertContactTime, directoryOf, ERR, plainClients, rejects, uniqueName } from '../helpers/contacts.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The ten message-contact actions through every real client (pop-core v1 GET and POST,
 * openapi-client v3 and v1, openapi-core v3): one contact's whole life per client, each
 * response checked field for field.
 */
let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

const keysOf = (o: Record<string, unknown>) => Object.keys(o).sort();

const CLIENTS = ['pop-core GET', 'pop-core POST', 'openapi-client v3', 'openapi-client v1', 'openapi-core v3'];

for (const [index, client] of CLIENTS.entries()) {
  test(`a contact's life through ${client}`, async () => {
    const call = plainClients(server.url)[client]!;
    const { rdId, rootId } = await directoryOf(call);
    const name = uniqueName('life');
    const email = `ops${index}@example.com`;
    const phone = `86-1390000000${index}`;

    const before = Date.now();
    const added = await call('AddMessageContact', {
      Name: name,
      EmailAddress: email,
      PhoneNumber: phone,
      Title: 'FinanceDirector',
      MessageTypes: ['AccountExpenses', 'ServiceMessage'],
    });
    const afterAdd = Date.now();
    assert.deepEqual(keysOf(added), ['Contact', 'RequestId']);
    assert.deepEqual(keysOf(added.Contact), ['ContactId', 'CreateDate']);
    const id = added.Contact.ContactId as string;
    assert.match(id, /^c-[A-Za-z0-9]{16}$/);
    assertContactTime(added.Contact.CreateDate, before, afterAdd, 'CreateDate');
    const createDate = added.Contact.CreateDate as string;

    // Get: every field, flat arrays, the requested (still unverified) email and phone.
    const got = await call('GetMessageContact', { ContactId: id });
    assert.deepEqual(keysOf(got), ['Contact', 'RequestId']);
    assert.deepEqual(got.Contact, {
      ContactId: id,
      Name: name,
      EmailAddress: email,
      PhoneNumber: phone,
      Title: 'FinanceDirector',
      MessageTypes: ['AccountExpenses', 'ServiceMessage'],
      Members: [],
      Status: 'Verifying',
      CreateDate: createDate,
    });

    // List: integers for the counts, a flat Contacts array, AssociatedDate "" while unbound.
    const listed = await call('ListMessageContacts', { ContactId: id });
    assert.deepEqual(keysOf(listed), ['Contacts', 'PageNumber', 'PageSize', 'RequestId', 'TotalCount']);
    assert.deepEqual(
      { TotalCount: listed.TotalCount, PageNumber: listed.PageNumber, PageSize: listed.PageSize, Contacts: listed.Contacts },
      { TotalCount: 1, PageNumber: 1, PageSize: 10, Contacts: [{ ...got.Contact, AssociatedDate: '' }] },
    );

    // Both new targets wait for verification.
    const pending = await call('ListMessageContactVerifications', { ContactId: id });
    assert.deepEqual(keysOf(pending), ['ContactVerifications', 'PageNumber', 'PageSize', 'RequestId', 'TotalCount']);
    assert.deepEqual(
      { TotalCount: pending.TotalCount, PageNumber: pending.PageNumber, PageSize: pending.PageSize, Items: pending.ContactVerifications },
      { TotalCount: 2, PageNumber: 1, PageSize: 10, Items: [{ ContactId: id, Target: email }, { ContactId: id, Target: phone }] },
    );

    // Update: Name, Title and MessageTypes take effect at once; the new phone is shown at once.
    const newName = uniqueName('renamed');
    const newPhone = `86-1380000000${index}`;
    const updated = await call('UpdateMessageContact', {
      ContactId: id,
      Name: newName,
      Title: 'CEO',
      MessageTypes: ['SecurityMessage'],
      PhoneNumber: newPhone,
    });
    assert.deepEqual(keysOf(updated), ['RequestId']);
    assert.deepEqual(await call('GetMessageContact', { ContactId: id }).then((b) => b.Contact), {
      ...got.Contact,
      Name: newName,
      Title: 'CEO',
      MessageTypes: ['SecurityMessage'],
      PhoneNumber: newPhone,
    });

    // Cancel the pending phone: it was never verified, so the contact is left without one.
    const cancelled = await call('CancelMessageContactUpdate', { ContactId: id, PhoneNumber: newPhone });
    assert.deepEqual(keysOf(cancelled), ['RequestId']);
    const afterCancel = await call('GetMessageContact', { ContactId: id });
    assert.equal(afterCancel.Contact.PhoneNumber, '');
    assert.deepEqual((await call('ListMessageContactVerifications', { ContactId: id })).ContactVerifications, [
      { ContactId: id, Target: email },
    ]);

    // Bind to the directory and to its Root folder (two distinct targets), then unbind the Root.
    const bindStart = Date.now();
    const bound = await call('AssociateMembers', { ContactId: id, Members: [rdId, rootId] });
    const bindEnd = Date.now();
    assert.deepEqual(keysOf(bound), ['Members', 'RequestId']);
    assert.deepEqual(
      bound.Members.map((m: Record<string, unknown>) => [m.ContactId, m.MemberId, keysOf(m)]),
      [rdId, rootId].map((m) => [id, m, ['ContactId', 'MemberId', 'ModifyDate']]),
    );
    for (const m of bound.Members) assertContactTime(m.ModifyDate, bindStart, bindEnd, 'ModifyDate');
    const unbound = await call('DisassociateMembers', { ContactId: id, Members: [rootId] });
    assert.deepEqual(keysOf(unbound), ['Members', 'RequestId']);
    assert.deepEqual(unbound.Members.map((m: Record<string, unknown>) => [m.ContactId, m.MemberId]), [[id, rootId]]);
    assert.deepEqual((await call('GetMessageContact', { ContactId: id })).Contact.Members, [rdId]);
    const boundList = await call('ListMessageContacts', { Member: rdId });
    assert.deepEqual(
      boundList.Contacts.map((c: Record<string, unknown>) => [c.ContactId, c.AssociatedDate]),
      [[id, bound.Members[0].ModifyDate]],
    );

    // Never deleted: a deletion status without Status.
    const status = await call('GetMessageContactDeletionStatus', { ContactId: id });
    assert.deepEqual(keysOf(status), ['ContactDeletionStatus', 'RequestId']);
    assert.deepEqual(status.ContactDeletionStatus, { ContactId: id, FailReasonList: [] });

    // Delete (RetainContactInMembers defaults to true): synchronous, gone at once.
    const deleted = await call('DeleteMessageContact', { ContactId: id });
    assert.deepEqual(keysOf(deleted), ['RequestId', 'Status']);
    assert.equal(deleted.Status, 'Deleted');
    await rejects(call('GetMessageContact', { ContactId: id }), ERR.contactNotExists);
    await rejects(call('GetMessageContactDeletionStatus', { ContactId: id }), ERR.contactNotExists);
    assert.deepEqual((await call('ListMessageContacts', { Member: rdId })).Contacts, []);
  });
}

test('ListMessageContacts pages in creation order, PageSize 1 to 100', async (t) => {
  // A directory of its own, so the counts are exact whatever the other tests left.
  const own = await startTestServer();
  t.after(() => own.stop());
  const call = plainClients(own.url)['openapi-core v3']!;
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    ids.push((await call('AddMessageContact', { Name: uniqueName('page'), EmailAddress: `p${i}@example.com`, Title: 'Other', MessageTypes: ['FaultMessage'] })).Contact.ContactId);
  }
  const all = await call('ListMessageContacts', { PageSize: 100 });
  assert.equal(all.PageSize, 100);
  assert.deepEqual(all.Contacts.map((c: Record<string, unknown>) => c.ContactId), ids);
  assert.equal(all.TotalCount, 3);
  const second = await call('ListMessageContacts', { PageSize: 1, PageNumber: 2 });
  assert.deepEqual([second.TotalCount, second.PageNumber, second.PageSize], [3, 2, 1]);
  assert.deepEqual(second.Contacts.map((c: Record<string, unknown>) => c.ContactId), [ids[1]]);
  assert.deepEqual((await call('ListMessageContacts', { PageSize: 2, PageNumber: 3 })).Contacts, []);
  for (const PageSize of [0, 101]) await rejects(call('ListMessageContacts', { PageSize }), ERR.invalid('PageSize'));
  for (const PageSize of [0, 101]) await rejects(call('ListMessageContactVerifications', { PageSize }), ERR.invalid('PageSize'));
  await rejects(call('ListMessageContacts', { PageNumber: 0 }), ERR.invalid('PageNumber'));
  // The declared maximum is accepted (an empty page), one past it is not.
  const last = await call('ListMessageContacts', { PageNumber: 1_000_000_000, PageSize: 100 });
  assert.deepEqual([last.PageNumber, last.TotalCount, last.Contacts], [1_000_000_000, 3, []]);
  await rejects(call('ListMessageContacts', { PageNumber: 1_000_000_001 }), ERR.invalid('PageNumber'));
});
