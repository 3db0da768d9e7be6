import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openApiCore, popCore, type Call } from '../helpers/clients.js';
import { addContact, directoryOf, ERR, getContact, plain, rejects } from '../helpers/contacts.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * AssociateMembers / DisassociateMembers and ListMessageContacts' Member filter: every kind
 * of target, direct bindings only, the 1-5 and 10 limits. The directory actions that build
 * the targets go through both pop-core (v1) and openapi-core (v3).
 */
let server: TestServer;
let v1: Call;
let v3: Call;
const dir = { rdId: '', rootId: '', folder: '', nested: '', account: '', rootAccount: '' };

before(async () => {
  server = await startTestServer();
  v1 = plain(popCore(server.url));
  v3 = plain(openApiCore(server.url));
  Object.assign(dir, await directoryOf(v3));
  dir.folder = (await v1('CreateFolder', { FolderName: 'team' })).Folder.FolderId;
  dir.nested = (await v3('CreateFolder', { FolderName: 'squad', ParentFolderId: dir.folder })).Folder.FolderId;
  dir.account = (await v1('CreateResourceAccount', { DisplayName: 'member one', ParentFolderId: dir.nested })).Account.AccountId;
  dir.rootAccount = (await v3('CreateResourceAccount', { DisplayName: 'member two' })).Account.AccountId;
});
after(() => server.stop());

const memberIds = (body: Record<string, any>) => body.Members.map((m: { MemberId: string }) => m.MemberId);
const listedFor = async (call: Call, member: string) =>
  (await call('ListMessageContacts', { Member: member })).Contacts.map((c: { ContactId: string }) => c.ContactId);

test('directory actions build the targets through pop-core and openapi-core', async () => {
  for (const [name, call] of [['pop-core', v1], ['openapi-core', v3]] as const) {
    const folder = (await call('CreateFolder', { FolderName: `tmp-${name}` })).Folder.FolderId;
    assert.equal((await call('GetFolder', { FolderId: folder })).Folder.ResourceDirectoryPath, `${dir.rdId}/${dir.rootId}/${folder}`, name);
    assert.ok((await call('ListFoldersForParent', {})).Folders.Folder.some((f: { FolderId: string }) => f.FolderId === folder), name);
    assert.deepEqual((await call('ListAncestors', { ChildId: dir.nested })).Folders.Folder.map((f: { FolderId: string }) => f.FolderId), [dir.rootId, dir.folder], name);
    await call('MoveAccount', { AccountId: dir.rootAccount, DestinationFolderId: folder });
    assert.equal((await call('GetAccount', { AccountId: dir.rootAccount })).Account.FolderId, folder, name);
    assert.equal((await call('ListAccountsForParent', { ParentFolderId: folder })).TotalCount, 1, name);
    assert.ok((await call('ListAccounts', { PageSize: 100 })).Accounts.Account.some((a: { AccountId: string }) => a.AccountId === dir.account), name);
    await call('MoveAccount', { AccountId: dir.rootAccount, DestinationFolderId: dir.rootId });
    await call('DeleteFolder', { FolderId: folder });
  }
});

test('every kind of target can be bound: directory, Root, folders, accounts (the management account too)', async () => {
  const id = await addContact(v3);
  const first = [dir.rdId, dir.rootId, dir.folder, dir.nested, dir.account];
  const bound = await v1('AssociateMembers', { ContactId: id, Members: first });
  assert.deepEqual(memberIds(bound), first);
  await v3('AssociateMembers', { ContactId: id, Members: [dir.rootAccount, KEYS.main.accountId] });
  // Members lists the direct targets, in binding order.
  assert.deepEqual((await getContact(v1, id)).Members, [...first, dir.rootAccount, KEYS.main.accountId]);
  for (const member of [...first, dir.rootAccount, KEYS.main.accountId]) assert.deepEqual(await listedFor(v3, member), [id], member);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('a Verifying contact can be bound', async () => {
  const id = await addContact(v3);
  assert.equal((await getContact(v3, id)).Status, 'Verifying');
  assert.deepEqual(memberIds(await v3('AssociateMembers', { ContactId: id, Members: [dir.folder] })), [dir.folder]);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('the Member filter finds direct bindings only, and AssociatedDate is the binding time', async () => {
  const onRd = await addContact(v3);
  const onFolder = await addContact(v3);
  const rdBinding = (await v3('AssociateMembers', { ContactId: onRd, Members: [dir.rdId] })).Members[0];
  const folderBinding = (await v1('AssociateMembers', { ContactId: onFolder, Members: [dir.folder] })).Members[0];
  // The directory binding reaches the folder's members, but it is not a binding *to* the folder.
  assert.deepEqual(await listedFor(v3, dir.folder), [onFolder]);
  assert.deepEqual(await listedFor(v3, dir.nested), []);
  assert.deepEqual(await listedFor(v1, dir.rdId), [onRd]);
  const filtered = (await v1('ListMessageContacts', { Member: dir.folder })).Contacts[0];
  assert.equal(filtered.AssociatedDate, folderBinding.ModifyDate);
  const single = (await v3('ListMessageContacts', { ContactId: onRd })).Contacts[0];
  assert.equal(single.AssociatedDate, rdBinding.ModifyDate);
  // Both filters at once: the contact, if it is bound there.
  assert.deepEqual((await v3('ListMessageContacts', { ContactId: onRd, Member: dir.folder })).Contacts, []);
  for (const id of [onRd, onFolder]) await v3('DeleteMessageContact', { ContactId: id });
});

test('binding a bound target again is a no-op that returns its entry', async () => {
  const id = await addContact(v3);
  const first = (await v3('AssociateMembers', { ContactId: id, Members: [dir.folder] })).Members[0];
  const again = await v1('AssociateMembers', { ContactId: id, Members: [dir.folder, dir.account] });
  assert.deepEqual(again.Members[0], first);
  assert.deepEqual((await getContact(v3, id)).Members, [dir.folder, dir.account]);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('unbinding a target that is not bound is a no-op', async () => {
  const id = await addContact(v3);
  await v3('AssociateMembers', { ContactId: id, Members: [dir.folder] });
  const out = await v1('DisassociateMembers', { ContactId: id, Members: [dir.nested, dir.folder] });
  assert.deepEqual(memberIds(out), [dir.nested, dir.folder]);
  assert.deepEqual((await getContact(v3, id)).Members, []);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('1 to 5 targets a call, no repeats', async () => {
  const id = await addContact(v3);
  const five = [dir.rdId, dir.rootId, dir.folder, dir.nested, dir.account];
  const six = [...five, dir.rootAccount];
  await rejects(v3('AssociateMembers', { ContactId: id, Members: six }), ERR.invalid('Members'));
  await rejects(v3('AssociateMembers', { ContactId: id, Members: [dir.folder, dir.account, dir.folder] }), ERR.membersDuplicate);
  assert.deepEqual((await getContact(v3, id)).Members, [], 'a refused call binds nothing');
  await v3('AssociateMembers', { ContactId: id, Members: five });
  await rejects(v3('DisassociateMembers', { ContactId: id, Members: six }), ERR.membersLength);
  await rejects(v3('DisassociateMembers', { ContactId: id, Members: [dir.rdId, dir.rdId] }), ERR.membersDuplicate);
  assert.deepEqual(memberIds(await v3('DisassociateMembers', { ContactId: id, Members: five })), five);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('at most 10 bindings a contact; re-binding a bound one at the limit is fine', async () => {
  const id = await addContact(v3);
  const folders: string[] = [];
  for (let i = 0; i < 5; i++) folders.push((await v3('CreateFolder', { FolderName: `ten${i}`, ParentFolderId: dir.folder })).Folder.FolderId);
  const ten = [dir.rdId, dir.rootId, dir.folder, dir.nested, dir.account, ...folders];
  await v3('AssociateMembers', { ContactId: id, Members: ten.slice(0, 5) });
  await v1('AssociateMembers', { ContactId: id, Members: ten.slice(5) });
  assert.equal((await getContact(v3, id)).Members.length, 10);
  await rejects(v3('AssociateMembers', { ContactId: id, Members: [dir.rootAccount] }), ERR.contactMembers);
  await rejects(v1('AssociateMembers', { ContactId: id, Members: [dir.folder, dir.rootAccount] }), ERR.contactMembers);
  await v3('AssociateMembers', { ContactId: id, Members: [dir.folder] });
  await v3('DisassociateMembers', { ContactId: id, Members: [dir.folder] });
  await v3('AssociateMembers', { ContactId: id, Members: [dir.rootAccount] });
  assert.equal((await getContact(v3, id)).Members.length, 10);
  await v3('DeleteMessageContact', { ContactId: id });
  for (const folder of folders) await v3('DeleteFolder', { FolderId: folder });
});

test('IDs outside the directory are InvalidMember, malformed ones InvalidParameter.Members', async () => {
  const id = await addContact(v3);
  for (const member of ['fd-AAAAAAAAAA', 'r-AAAAAA', 'rd-AAAAAA', '9999999999999999', KEYS.other.accountId]) {
    await rejects(v3('AssociateMembers', { ContactId: id, Members: [dir.folder, member] }), ERR.invalidMember, member);
    await rejects(v1('DisassociateMembers', { ContactId: id, Members: [member] }), ERR.invalidMember, member);
  }
  for (const member of ['fd-short', 'r-toolongid', 'rd-', '123', 'c-0000000000000000']) {
    await rejects(v3('AssociateMembers', { ContactId: id, Members: [member] }), ERR.invalid('Members'), member);
  }
  assert.deepEqual((await getContact(v3, id)).Members, []);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('a binding to a folder deleted since can still be removed', async () => {
  const id = await addContact(v3);
  const gone = (await v3('CreateFolder', { FolderName: 'shortlived' })).Folder.FolderId;
  await v3('AssociateMembers', { ContactId: id, Members: [gone, dir.folder] });
  await v3('DeleteFolder', { FolderId: gone });
  assert.deepEqual(memberIds(await v1('DisassociateMembers', { ContactId: id, Members: [gone] })), [gone]);
  assert.deepEqual((await getContact(v3, id)).Members, [dir.folder]);
  // Unbound now, it is an ID outside the directory like any other.
  await rejects(v1('DisassociateMembers', { ContactId: id, Members: [gone] }), ERR.invalidMember);
  await v3('DeleteMessageContact', { ContactId: id });
});

test('deleting a contact removes its bindings', async () => {
  const id = await addContact(v3);
  await v3('AssociateMembers', { ContactId: id, Members: [dir.account] });
  await v1('DeleteMessageContact', { ContactId: id, RetainContactInMembers: true });
  assert.deepEqual(await listedFor(v3, dir.account), []);
});
