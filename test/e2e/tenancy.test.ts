import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApiCore, popCore, type Call } from '../helpers/clients.js';
import { addContact, directoryOf, ERR, getContact, plain, rejects } from '../helpers/contacts.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Two tenants on one server: `main` with its bootstrapped directory, `other` with one it
 * enables itself. Each one's contacts, folders and accounts are, for the other, IDs that do
 * not exist: 404 EntityNotExists.Contact, InvalidMember, EntityNotExists.Member.
 */
let server: TestServer;
let main: Call;
let other: Call;
const mine = { contact: '', folder: '', rdId: '', rootId: '' };
const theirs = { contact: '', folder: '', rdId: '', rootId: '' };

before(async () => {
  server = await startTestServer();
  main = plain(openApiCore(server.url, KEYS.main));
  other = plain(popCore(server.url, KEYS.other));
  await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  for (const [tenant, call] of [[mine, main], [theirs, other]] as const) {
    Object.assign(tenant, await directoryOf(call));
    tenant.folder = (await call('CreateFolder', { FolderName: 'shared-name' })).Folder.FolderId;
    // The same contact name in both directories: names are unique per directory only.
    tenant.contact = await addContact(call, { Name: 'samename' });
    await call('AssociateMembers', { ContactId: tenant.contact, Members: [tenant.folder] });
  }
});
after(() => server.stop());

// [who calls, its client, its own IDs, the other tenant's IDs, the other tenant's client]
const crossings = [
  ['main', () => main, () => mine, () => theirs, () => other],
  ['other', () => other, () => theirs, () => mine, () => main],
] as const;

for (const [who, caller, own, foreign, foreignOwner] of crossings) {
  test(`${who} cannot read the other tenant's contact (Get, List, verifications, deletion status)`, async () => {
    const id = foreign().contact;
    await rejects(caller()('GetMessageContact', { ContactId: id }), ERR.contactNotExists);
    await rejects(caller()('ListMessageContacts', { ContactId: id }), ERR.contactNotExists);
    await rejects(caller()('ListMessageContactVerifications', { ContactId: id }), ERR.contactNotExists);
    await rejects(caller()('GetMessageContactDeletionStatus', { ContactId: id }), ERR.contactNotExists);
    const listed = (await caller()('ListMessageContacts', {})).Contacts.map((c: { ContactId: string }) => c.ContactId);
    assert.ok(!listed.includes(id) && listed.length === 1, `${who} lists only its own contact`);
    const pending = (await caller()('ListMessageContactVerifications', {})).ContactVerifications;
    assert.ok(pending.every((v: { ContactId: string }) => v.ContactId !== id));
    for (const member of [foreign().folder, foreign().rdId, foreign().rootId]) {
      await rejects(caller()('ListMessageContacts', { Member: member }), ERR.memberNotExists, member);
    }
  });

  test(`${who} cannot change the other tenant's contact (Update, Cancel, Associate, Disassociate, Delete)`, async () => {
    const id = foreign().contact;
    await rejects(caller()('UpdateMessageContact', { ContactId: id, Title: 'CEO' }), ERR.contactNotExists);
    await rejects(caller()('CancelMessageContactUpdate', { ContactId: id }), ERR.contactNotExists);
    await rejects(caller()('AssociateMembers', { ContactId: id, Members: [foreign().folder] }), ERR.contactNotExists);
    await rejects(caller()('DisassociateMembers', { ContactId: id, Members: [foreign().folder] }), ERR.contactNotExists);
    await rejects(caller()('DeleteMessageContact', { ContactId: id }), ERR.contactNotExists);
    await rejects(caller()('DeleteMessageContact', { ContactId: id, RetainContactInMembers: false }), ERR.contactNotExists);
    // Still there, unchanged, for its owner.
    const contact = await getContact(foreignOwner(), id);
    assert.deepEqual([contact.Title, contact.Members, contact.Status], ['TechnicalDirector', [foreign().folder], 'Verifying']);
  });

  test(`${who} cannot bind its contact to the other tenant's directory, Root, folder or account`, async () => {
    const foreignAccount = who === 'main' ? KEYS.other.accountId : KEYS.main.accountId;
    for (const member of [foreign().rdId, foreign().rootId, foreign().folder, foreignAccount]) {
      await rejects(caller()('AssociateMembers', { ContactId: own().contact, Members: [member] }), ERR.invalidMember, member);
      await rejects(caller()('DisassociateMembers', { ContactId: own().contact, Members: [member] }), ERR.invalidMember, member);
    }
    assert.deepEqual((await getContact(caller(), own().contact)).Members, [own().folder]);
  });
}

test('each tenant binds its own management account and sees only its own binding', async () => {
  await main('AssociateMembers', { ContactId: mine.contact, Members: [KEYS.main.accountId] });
  await other('AssociateMembers', { ContactId: theirs.contact, Members: [KEYS.other.accountId] });
  assert.deepEqual((await main('ListMessageContacts', { Member: KEYS.main.accountId })).Contacts.map((c: { ContactId: string }) => c.ContactId), [mine.contact]);
  assert.deepEqual((await other('ListMessageContacts', { Member: KEYS.other.accountId })).Contacts.map((c: { ContactId: string }) => c.ContactId), [theirs.contact]);
});

test('an account without a directory gets EntityNotExists.ResourceDirectory from every contact action', async () => {
  const bare = plain(openApiCore(server.url, KEYS.bare));
  const calls: Array<[string, Record<string, unknown>]> = [
    ['AddMessageContact', { Name: 'nobody', EmailAddress: 'n@example.com', Title: 'CEO', MessageTypes: ['ServiceMessage'] }],
    ['UpdateMessageContact', { ContactId: mine.contact, Title: 'CEO' }],
    ['CancelMessageContactUpdate', { ContactId: mine.contact }],
    ['GetMessageContact', { ContactId: mine.contact }],
    ['ListMessageContacts', {}],
    ['ListMessageContactVerifications', {}],
    ['AssociateMembers', { ContactId: mine.contact, Members: [mine.folder] }],
    ['DisassociateMembers', { ContactId: mine.contact, Members: [mine.folder] }],
    ['DeleteMessageContact', { ContactId: mine.contact }],
    ['GetMessageContactDeletionStatus', { ContactId: mine.contact }],
  ];
  for (const [action, params] of calls) await rejects(bare(action, params as never), ERR.noDirectory, action);
  assert.equal((await getContact(main, mine.contact)).Name, 'samename');
});
