import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminClient, type AdminClient } from '../helpers/admin.js';
import { openApiCore, popCore, type Call, type CallParams } from '../helpers/clients.js';
import { addContact } from '../helpers/contacts.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Message centers after each kind of change (docs/reference/model.md section 3), in a directory of
 * several folder levels: Root > Eng > Backend, and Root > Ops.
 */
describe('member message centers', () => {
  let server: TestServer;
  let call: Call;
  let admin: AdminClient;
  let rdId: string;
  let rootId: string;
  const f = { eng: '', backend: '', ops: '' };
  const a = { top: '', eng: '', backend: '', ops: '' };
  const master = KEYS.main.accountId;

  const folder = async (name: string, parent?: string) =>
    (await call('CreateFolder', { FolderName: name, ParentFolderId: parent })).Folder.FolderId as string;
  const account = async (name: string, parent?: string) =>
    (await call('CreateResourceAccount', { DisplayName: name, ParentFolderId: parent })).Account.AccountId as string;
  const contact = (Name: string, MessageTypes: string[]) => addContact(call, { Name, EmailAddress: `${Name}@example.com`, Title: 'Other', MessageTypes });
  /** contact ID -> [Source, Via] for one account. */
  const center = async (accountId: string) => {
    const body = await admin.get(`/accounts/${accountId}/message-center`);
    return Object.fromEntries(body.Contacts.map((c: any) => [c.ContactId, [c.Source, c.Via]]));
  };

  before(async () => {
    server = await startTestServer();
    call = popCore(server.url, KEYS.main, 'POST');
    admin = adminClient(server.url);
    const rd = (await call('GetResourceDirectory')).ResourceDirectory;
    rdId = rd.ResourceDirectoryId;
    rootId = rd.RootFolderId;
    f.eng = await folder('Eng');
    f.backend = await folder('Backend', f.eng);
    f.ops = await folder('Ops');
    a.top = await account('top member');
    a.eng = await account('eng member', f.eng);
    a.backend = await account('backend member', f.backend);
    a.ops = await account('ops member', f.ops);
  });
  after(() => server.stop());

  test('a new account has only its owner, subscribed to every type', async () => {
    const body = await admin.get(`/accounts/${a.backend}/message-center`);
    assert.deepEqual(body.Owner.MessageTypes, [
      'ServiceMessage', 'FaultMessage', 'AccountExpenses', 'SecurityMessage', 'ActivityMessage', 'ProductMessage',
    ]);
    assert.deepEqual(body.Contacts, []);
    assert.equal(body.AccountId, a.backend);
  });

  test('a binding on the RD reaches every member, the management account included', async () => {
    const c = await contact('everyone', ['FaultMessage']);
    await call('AssociateMembers', { ContactId: c, Members: [rdId] });
    for (const id of [master, a.top, a.eng, a.backend, a.ops]) assert.deepEqual((await center(id))[c], ['Inherited', [rdId]], id);
    await call('DisassociateMembers', { ContactId: c, Members: [rdId] });
    for (const id of [master, a.top, a.eng, a.backend, a.ops]) assert.equal((await center(id))[c], undefined, id);
  });

  test('a binding on a folder reaches its whole subtree and nothing else; unbinding takes it back', async () => {
    const c = await contact('engonly', ['ProductMessage']);
    await call('AssociateMembers', { ContactId: c, Members: [f.eng] });
    assert.deepEqual((await center(a.eng))[c], ['Inherited', [f.eng]]);
    assert.deepEqual((await center(a.backend))[c], ['Inherited', [f.eng]]);
    for (const id of [master, a.top, a.ops]) assert.equal((await center(id))[c], undefined, id);
    await call('DisassociateMembers', { ContactId: c, Members: [f.eng] });
    for (const id of [a.eng, a.backend]) assert.equal((await center(id))[c], undefined, id);
  });

  test('bindings on the Root, a folder and the account itself add up in Via, broadest first', async () => {
    const c = await contact('layered', ['ServiceMessage']);
    await call('AssociateMembers', { ContactId: c, Members: [a.backend, rootId, f.eng] });
    assert.deepEqual((await center(a.backend))[c], ['Inherited', [rootId, f.eng, a.backend]]);
    assert.deepEqual((await center(a.ops))[c], ['Inherited', [rootId]]);
    await call('DisassociateMembers', { ContactId: c, Members: [rootId] });
    assert.deepEqual((await center(a.backend))[c], ['Inherited', [f.eng, a.backend]]);
    assert.equal((await center(a.ops))[c], undefined);
    await call('DisassociateMembers', { ContactId: c, Members: [f.eng, a.backend] });
    assert.equal((await center(a.backend))[c], undefined);
    await call('DeleteMessageContact', { ContactId: c });
  });

  test('an account created in a bound folder inherits at once; a moved account loses and gains', async () => {
    const eng = await contact('engteam', ['SecurityMessage']);
    const ops = await contact('opsteam', ['SecurityMessage']);
    await call('AssociateMembers', { ContactId: eng, Members: [f.eng] });
    await call('AssociateMembers', { ContactId: ops, Members: [f.ops] });
    const fresh = await account('fresh member', f.backend);
    assert.deepEqual((await center(fresh))[eng], ['Inherited', [f.eng]]);
    assert.equal((await center(fresh))[ops], undefined);

    await call('MoveAccount', { AccountId: fresh, DestinationFolderId: f.ops });
    assert.equal((await center(fresh))[eng], undefined);
    assert.deepEqual((await center(fresh))[ops], ['Inherited', [f.ops]]);
  });

  test('an updated contact shows its new fields in every message center that has it', async () => {
    const c = await contact('renamed', ['AccountExpenses']);
    await call('AssociateMembers', { ContactId: c, Members: [f.ops] });
    await call('UpdateMessageContact', { ContactId: c, Name: 'renamedtoo', MessageTypes: ['FaultMessage', 'ActivityMessage'] });
    const entry = (await admin.get(`/accounts/${a.ops}/message-center`)).Contacts.find((x: any) => x.ContactId === c);
    assert.equal(entry.Name, 'renamedtoo');
    assert.deepEqual(entry.MessageTypes, ['FaultMessage', 'ActivityMessage']);
    // Nothing is verified yet: deliveries use effective addresses only, and there are none.
    assert.equal(entry.EmailAddress, '');
  });

  test('deleted with RetainContactInMembers=true: the copies become retained and stay', async () => {
    const c = await contact('retained', ['AccountExpenses']);
    await call('AssociateMembers', { ContactId: c, Members: [f.eng] });
    assert.equal((await call('DeleteMessageContact', { ContactId: c, RetainContactInMembers: true })).Status, 'Deleted');
    for (const id of [a.eng, a.backend]) {
      const entry = (await admin.get(`/accounts/${id}/message-center`)).Contacts.find((x: any) => x.ContactId === c);
      assert.deepEqual(
        { Name: entry.Name, Source: entry.Source, Via: entry.Via, MessageTypes: entry.MessageTypes },
        { Name: 'retained', Source: 'Retained', Via: [], MessageTypes: ['AccountExpenses'] },
      );
    }
    // Moving or re-syncing a member never drops a retained copy.
    await call('MoveAccount', { AccountId: a.backend, DestinationFolderId: f.ops });
    assert.deepEqual((await center(a.backend))[c], ['Retained', []]);
    await call('MoveAccount', { AccountId: a.backend, DestinationFolderId: f.backend });
  });

  test('deleted with RetainContactInMembers=false: it leaves every message center, then is gone', async () => {
    const c = await contact('leaving', ['AccountExpenses']);
    await call('AssociateMembers', { ContactId: c, Members: [rdId] });
    assert.equal((await call('DeleteMessageContact', { ContactId: c, RetainContactInMembers: false })).Status, 'Deleting');
    for (const id of [master, a.top, a.eng, a.backend, a.ops]) assert.equal((await center(id))[c], undefined, id);
    const gone = await openApiCore(server.url)('GetMessageContactDeletionStatus', { ContactId: c }).catch((e) => e);
    assert.equal(gone.code, 'EntityNotExists.Contact');
  });
});

describe('a deletion that would leave a member without recipients', () => {
  let server: TestServer;
  let call: Call;
  let admin: AdminClient;

  before(async () => {
    server = await startTestServer();
    call = openApiCore(server.url);
    admin = adminClient(server.url);
  });
  after(() => server.stop());

  test('fails for that member with its message types, and succeeds once the owner subscribes again', async () => {
    const member = (await call('CreateResourceAccount', { DisplayName: 'lonely member' })).Account.AccountId;
    const spare = (await call('CreateResourceAccount', { DisplayName: 'covered member' })).Account.AccountId;
    const rdRoot = (await call('GetResourceDirectory')).ResourceDirectory.RootFolderId;
    const c = await addContact(call, { Name: 'billing', EmailAddress: 'b@example.com', Title: 'FinanceDirector', MessageTypes: ['AccountExpenses', 'FaultMessage', 'ProductMessage'] });
    await call('AssociateMembers', { ContactId: c, Members: [rdRoot] });
    // The owner of `member` stops receiving bills and faults: this contact is all that is left for them.
    await admin.put(`/accounts/${member}/message-center/owner`, { MessageTypes: ['ServiceMessage', 'ProductMessage'] });

    assert.equal((await call('DeleteMessageContact', { ContactId: c, RetainContactInMembers: false })).Status, 'Deleting');
    const status = await call('GetMessageContactDeletionStatus', { ContactId: c });
    assert.deepEqual(status.ContactDeletionStatus, {
      ContactId: c,
      Status: 'Failed',
      FailReasonList: [{ AccountId: member, MessageTypes: ['AccountExpenses', 'FaultMessage'] }],
    });
    // Back to its previous status, still bound exactly where removal failed.
    const got = (await call('GetMessageContact', { ContactId: c })).Contact;
    assert.equal(got.Status, 'Verifying');
    assert.deepEqual(got.Members, [member]);
    assert.equal((await admin.get(`/accounts/${spare}/message-center`)).Contacts.length, 0);
    assert.deepEqual(
      (await admin.get(`/accounts/${member}/message-center`)).Contacts.map((x: any) => [x.ContactId, x.Via]),
      [[c, [member]]],
    );

    await admin.put(`/accounts/${member}/message-center/owner`, { MessageTypes: ['AccountExpenses', 'FaultMessage', 'ProductMessage'] });
    assert.equal((await call('DeleteMessageContact', { ContactId: c, RetainContactInMembers: false })).Status, 'Deleting');
    const gone = await call('GetMessageContact', { ContactId: c }).catch((e) => e);
    assert.equal(gone.code, 'EntityNotExists.Contact');
    assert.equal((await admin.get(`/accounts/${member}/message-center`)).Contacts.length, 0);
  });
});

describe('conflicts with background jobs', () => {
  let server: TestServer;
  let call: Call;
  let admin: AdminClient;

  before(async () => {
    server = await startTestServer({ asyncMode: 'manual' });
    call = openApiCore(server.url);
    admin = adminClient(server.url);
  });
  after(() => server.stop());

  test('a mutation of a contact whose fan-out is pending gets 429 ConcurrentCallNotSupported; reads still work', async () => {
    const folderId = (await call('CreateFolder', { FolderName: 'Busy' })).Folder.FolderId;
    const c = await addContact(call, { Name: 'busy', EmailAddress: 'busy@example.com', Title: 'CEO', MessageTypes: ['ServiceMessage'] });
    await call('AssociateMembers', { ContactId: c, Members: [folderId] });
    const mutations: Array<[string, CallParams]> = [
      ['UpdateMessageContact', { ContactId: c, Title: 'Other' }],
      ['AssociateMembers', { ContactId: c, Members: [folderId] }],
      ['DisassociateMembers', { ContactId: c, Members: [folderId] }],
      ['DeleteMessageContact', { ContactId: c }],
    ];
    for (const [action, params] of mutations) {
      const e = await call(action, params).catch((err) => err);
      assert.deepEqual([e.statusCode, e.code, e.data?.Message], [429, 'ConcurrentCallNotSupported', 'The operation conflicts with other operations. Please try again later.'], action);
    }
    assert.equal((await call('GetMessageContact', { ContactId: c })).Contact.ContactId, c);
    assert.equal((await admin.post('/jobs/run')).Released, 1);
    await call('UpdateMessageContact', { ContactId: c, Title: 'Other' });
  });

  test('MoveAccount of a member under a folder whose unbind job runs gets 409 AssociateConflict', async () => {
    const folderId = (await call('CreateFolder', { FolderName: 'Unbinding' })).Folder.FolderId;
    const elsewhere = (await call('CreateFolder', { FolderName: 'Elsewhere' })).Folder.FolderId;
    const member = (await call('CreateResourceAccount', { DisplayName: 'stuck member', ParentFolderId: folderId })).Account.AccountId;
    const c = await addContact(call, { Name: 'unbinder', EmailAddress: 'u@example.com', Title: 'CEO', MessageTypes: ['ServiceMessage'] });
    await call('AssociateMembers', { ContactId: c, Members: [folderId] });
    await admin.post('/jobs/run');
    await call('DisassociateMembers', { ContactId: c, Members: [folderId] });
    const e = await call('MoveAccount', { AccountId: member, DestinationFolderId: elsewhere }).catch((err) => err);
    assert.deepEqual(
      [e.statusCode, e.code, e.data?.Message],
      [409, 'AssociateConflict', 'You cannot perform the operation while disassociation operation is being performed.'],
    );
    await admin.post('/jobs/run');
    await call('MoveAccount', { AccountId: member, DestinationFolderId: elsewhere });
    assert.deepEqual((await admin.get(`/accounts/${member}/message-center`)).Contacts, []);
  });
});
