import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertFailure, openApiCore, type Call } from '../helpers/clients.js';
import { KEYS, startTestServer, type TestServer } from '../helpers/server.js';

/** Directory actions and their documented errors (docs/reference/api-notes.md section 6, docs/reference/model.md section 1). */

const NOT_ENABLED =
  'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.';
const NO_FOLDER = 'The resource directory folder does not exist.';
const NO_ACCOUNT = 'This resource directory account does not exist.';
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let server: TestServer;
let main: Call;
let root: string;
let directoryId: string;
before(async () => {
  server = await startTestServer();
  main = openApiCore(server.url);
  const rd = (await main('GetResourceDirectory')).ResourceDirectory;
  root = rd.RootFolderId;
  directoryId = rd.ResourceDirectoryId;
});
after(() => server.stop());

const folder = async (name: string, parent?: string) => (await main('CreateFolder', { FolderName: name, ParentFolderId: parent })).Folder;
const account = async (displayName: string, parent?: string) =>
  (await main('CreateResourceAccount', { DisplayName: displayName, ParentFolderId: parent })).Account;

describe('the resource directory', () => {
  test('GetResourceDirectory answers the documented shape for the bootstrapped owner', async () => {
    const rd = (await main('GetResourceDirectory')).ResourceDirectory;
    assert.deepEqual(Object.keys(rd).sort(), [
      'ControlPolicyStatus',
      'CreateTime',
      'IdentityInformation',
      'MasterAccountId',
      'MasterAccountName',
      'MemberAccountDisplayNameSyncStatus',
      'MemberDeletionStatus',
      'ResourceDirectoryId',
      'RootFolderId',
    ]);
    assert.equal(rd.MasterAccountId, KEYS.main.accountId);
    assert.match(rd.ResourceDirectoryId, /^rd-[A-Za-z0-9]{6}$/);
    assert.match(rd.RootFolderId, /^r-[A-Za-z0-9]{6}$/);
    assert.match(rd.CreateTime, ISO_MS);
  });

  test('without a directory: GetResourceDirectory is 404 ResourceDirectoryNotInUse, the others 404 EntityNotExists.ResourceDirectory', async () => {
    const bare = openApiCore(server.url, KEYS.bare);
    await assertFailure(
      bare('GetResourceDirectory'),
      404,
      'ResourceDirectoryNotInUse',
      'The specified account is not an Alibaba Cloud account or a member account of the resource directory.',
    );
    const calls: Array<[string, Record<string, string>]> = [
      ['CreateFolder', { FolderName: 'x' }],
      ['GetFolder', { FolderId: root }],
      ['ListFoldersForParent', {}],
      ['DeleteFolder', { FolderId: 'fd-0000000000' }],
      ['CreateResourceAccount', { DisplayName: 'nobody' }],
      ['GetAccount', { AccountId: KEYS.bare.accountId }],
      ['ListAccounts', {}],
      ['ListAccountsForParent', {}],
      ['MoveAccount', { AccountId: KEYS.bare.accountId, DestinationFolderId: root }],
      ['ListAncestors', { ChildId: root }],
    ];
    for (const [action, params] of calls) {
      await assertFailure(bare(action, params), 404, 'EntityNotExists.ResourceDirectory', NOT_ENABLED);
    }
  });

  test('EnableResourceDirectory with EnableMode=CurrentAccount, once; the second time is 409', async () => {
    const other = openApiCore(server.url, KEYS.other);
    await assertFailure(other('EnableResourceDirectory'), 400, 'MissingParameter.EnableMode', 'You must specify EnableMode.');
    await assertFailure(
      other('EnableResourceDirectory', { EnableMode: 'NewManagementAccount', MAName: 'admin@rdadmin.aliyunid.com' }),
      400,
      'InvalidParameter.EnableMode',
      'The EnableMode is invalid. rdmc supports EnableMode=CurrentAccount only.',
    );
    const enabled = (await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' })).ResourceDirectory;
    assert.deepEqual(Object.keys(enabled).sort(), ['CreateTime', 'MasterAccountId', 'MasterAccountName', 'ResourceDirectoryId', 'RootFolderId']);
    assert.equal(enabled.MasterAccountId, KEYS.other.accountId);
    assert.notEqual(enabled.ResourceDirectoryId, directoryId);
    const read = (await other('GetResourceDirectory')).ResourceDirectory;
    assert.equal(read.ResourceDirectoryId, enabled.ResourceDirectoryId);
    assert.equal(read.RootFolderId, enabled.RootFolderId);
    // The management account is a member of its own directory, in the Root.
    const self = (await other('GetAccount', { AccountId: KEYS.other.accountId })).Account;
    assert.equal(self.FolderId, enabled.RootFolderId);
    assert.equal(self.ResourceDirectoryPath, `${enabled.ResourceDirectoryId}/${enabled.RootFolderId}/${KEYS.other.accountId}`);
    await assertFailure(
      other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' }),
      409,
      'EntityAlreadyExists.ResourceDirectory',
      'The resource directory for the account is already enabled. Please do not enable it again.',
    );
  });
});

describe('folders', () => {
  test('CreateFolder nests at most 5 levels below the Root', async () => {
    let parent = root;
    const chain: string[] = [];
    for (let level = 1; level <= 5; level++) {
      const created = await folder(`level${level}`, parent);
      chain.push(created.FolderId);
      parent = created.FolderId;
    }
    await assertFailure(
      main('CreateFolder', { FolderName: 'level6', ParentFolderId: parent }),
      400,
      'LimitExceeded.Folder.Depth',
      'The folder depth exceeds the limit. Folders can be nested at most 5 levels below the Root folder.',
    );
    const deepest = (await main('GetFolder', { FolderId: parent })).Folder;
    assert.equal(deepest.ResourceDirectoryPath, [directoryId, root, ...chain].join('/'));
    const ancestors = (await main('ListAncestors', { ChildId: parent })).Folders.Folder;
    assert.deepEqual(
      ancestors.map((f: { FolderId: string }) => f.FolderId),
      [root, ...chain.slice(0, -1)],
    );
    assert.equal(ancestors[0].FolderName, 'root');
    assert.match(ancestors[0].CreateTime, ISO_MS);
  });

  test('CreateFolder name rules: required, 1 to 24 characters, letters digits _ . - (and CJK), unique under its parent', async () => {
    await assertFailure(main('CreateFolder', {}), 400, 'MissingParameter.Folder.Name', 'You must specify the resource folder name.');
    await assertFailure(main('CreateFolder', { FolderName: '' }), 400, 'MissingParameter.Folder.Name', 'You must specify the resource folder name.');
    await assertFailure(
      main('CreateFolder', { FolderName: 'a'.repeat(25) }),
      400,
      'InvalidParameter.Folder.Name.Length',
      'The folder name must be 1 to 24 characters in length.',
    );
    for (const bad of ['has space', 'slash/name', 'star*', 'café', 'Папка', 'ｆｕｌｌ２']) {
      await assertFailure(
        main('CreateFolder', { FolderName: bad }),
        400,
        'InvalidParameter.Folder.Name',
        'The folder name is invalid. It can contain letters, digits, Chinese characters, underscores (_), periods (.), and hyphens (-).',
      );
    }
    assert.equal((await folder('a'.repeat(24))).FolderName, 'a'.repeat(24));
    assert.equal((await folder('x')).FolderName, 'x');
    assert.equal((await folder('财务部_v1.0-a')).FolderName, '财务部_v1.0-a');

    const parent = await folder('dupParent');
    await folder('Same', parent.FolderId);
    await assertFailure(
      main('CreateFolder', { FolderName: 'Same', ParentFolderId: parent.FolderId }),
      400,
      'InvalidParameter.Folder.Name.AlreadyUsed',
      'The name already exists under the same parent. Please change to another name.',
    );
    // The same name under another parent is fine.
    assert.equal((await folder('Same')).ParentFolderId, root);
  });

  test('CreateFolder ParentFolderId: malformed is 400, unknown is 404', async () => {
    await assertFailure(main('CreateFolder', { FolderName: 'f', ParentFolderId: 'folder-1' }), 400, 'InvalidParameter.ParentFolderId', 'The ParentFolderId is invalid.');
    await assertFailure(main('CreateFolder', { FolderName: 'f', ParentFolderId: 'fd-0000000000' }), 404, 'EntityNotExists.Folder', NO_FOLDER);
  });

  test('GetFolder: the Root, ResourceDirectoryPath, and its errors', async () => {
    const rootFolder = (await main('GetFolder', { FolderId: root })).Folder;
    assert.equal(rootFolder.FolderName, 'root');
    assert.equal(rootFolder.ParentFolderId, '');
    assert.equal(rootFolder.ResourceDirectoryPath, `${directoryId}/${root}`);
    await assertFailure(main('GetFolder', {}), 400, 'MissingParameter.FolderId', 'You must specify FolderId.');
    await assertFailure(
      main('GetFolder', { FolderId: 'fd-short' }),
      400,
      'InvalidParameter.FolderId',
      'The FolderId is invalid. It must start with fd- followed by 10 characters, or with r- followed by 6 characters.',
    );
    await assertFailure(main('GetFolder', { FolderId: 'fd-0000000000' }), 404, 'EntityNotExists.Folder', NO_FOLDER);
  });

  test('ListFoldersForParent: first-level children only, Folders.Folder wrapper, pagination', async () => {
    const parent = await folder('pager');
    const names = Array.from({ length: 12 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    for (const name of names) await folder(name, parent.FolderId);
    await folder('grandchild', (await main('ListFoldersForParent', { ParentFolderId: parent.FolderId })).Folders.Folder[0].FolderId);

    const first = await main('ListFoldersForParent', { ParentFolderId: parent.FolderId });
    assert.deepEqual(Object.keys(first).sort(), ['Folders', 'PageNumber', 'PageSize', 'RequestId', 'TotalCount']);
    assert.equal(first.PageNumber, 1);
    assert.equal(first.PageSize, 10);
    assert.equal(first.TotalCount, 12);
    assert.deepEqual(first.Folders.Folder.map((f: { FolderName: string }) => f.FolderName), names.slice(0, 10));
    assert.deepEqual(Object.keys(first.Folders.Folder[0]).sort(), ['CreateTime', 'FolderId', 'FolderName', 'Tags']);

    const second = await main('ListFoldersForParent', { ParentFolderId: parent.FolderId, PageNumber: 2 });
    assert.deepEqual(second.Folders.Folder.map((f: { FolderName: string }) => f.FolderName), names.slice(10));
    const small = await main('ListFoldersForParent', { ParentFolderId: parent.FolderId, PageNumber: 3, PageSize: 5 });
    assert.equal(small.PageSize, 5);
    assert.deepEqual(small.Folders.Folder.map((f: { FolderName: string }) => f.FolderName), names.slice(10));
    const all = await main('ListFoldersForParent', { ParentFolderId: parent.FolderId, PageSize: 100 });
    assert.equal(all.Folders.Folder.length, 12);
    const beyond = await main('ListFoldersForParent', { ParentFolderId: parent.FolderId, PageNumber: 9 });
    assert.deepEqual(beyond.Folders.Folder, []);
    assert.equal(beyond.TotalCount, 12);

    const keyword = await main('ListFoldersForParent', { ParentFolderId: parent.FolderId, QueryKeyword: 'P1' });
    assert.deepEqual(keyword.Folders.Folder.map((f: { FolderName: string }) => f.FolderName), ['p10', 'p11']);
    // Without ParentFolderId: the Root's first-level children.
    const top = await main('ListFoldersForParent', { PageSize: 100 });
    assert.ok(top.Folders.Folder.some((f: { FolderId: string }) => f.FolderId === parent.FolderId));
    assert.ok(top.Folders.Folder.every((f: { FolderName: string }) => !names.includes(f.FolderName)));
  });

  test('ListFoldersForParent: PageSize outside 1 to 100 and a bad PageNumber are 400', async () => {
    for (const size of ['0', '101', 'ten', '-1']) {
      await assertFailure(main('ListFoldersForParent', { PageSize: size }), 400, 'InvalidParameter.PageSize', 'The PageSize is invalid.');
    }
    await assertFailure(main('ListFoldersForParent', { PageNumber: '0' }), 400, 'InvalidParameter.PageNumber', 'The PageNumber is invalid.');
    await assertFailure(main('ListFoldersForParent', { ParentFolderId: 'fd-0000000000' }), 404, 'EntityNotExists.Folder', NO_FOLDER);
  });

  test('DeleteFolder: conflicts with sub folders and accounts are 409; the Root cannot go', async () => {
    const parent = await folder('delParent');
    const child = await folder('delChild', parent.FolderId);
    const member = await account('del member', child.FolderId);
    await assertFailure(main('DeleteFolder', { FolderId: parent.FolderId }), 409, 'DeleteConflict.Folder.SubFolder', 'This folder has sub folders.');
    await assertFailure(main('DeleteFolder', { FolderId: child.FolderId }), 409, 'DeleteConflict.Folder.Account', 'This folder has accounts.');
    await assertFailure(main('DeleteFolder', { FolderId: root }), 409, 'DeleteConflict.Folder.Root', 'The Root folder cannot be deleted.');
    await assertFailure(main('DeleteFolder', {}), 400, 'MissingParameter.FolderId', 'You must specify FolderId.');
    await main('MoveAccount', { AccountId: member.AccountId, DestinationFolderId: root });
    await main('DeleteFolder', { FolderId: child.FolderId });
    await main('DeleteFolder', { FolderId: parent.FolderId });
    await assertFailure(main('DeleteFolder', { FolderId: parent.FolderId }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(main('ListAncestors', { ChildId: child.FolderId }), 404, 'EntityNotExists.Folder', NO_FOLDER);
  });
});

describe('accounts', () => {
  test('CreateResourceAccount: defaults to the Root and a generated name prefix; its errors', async () => {
    const created = await account('Default place');
    assert.deepEqual(Object.keys(created).sort(), [
      'AccountId',
      'AccountName',
      'DisplayName',
      'FolderId',
      'JoinMethod',
      'JoinTime',
      'ModifyTime',
      'ResourceDirectoryId',
      'Status',
      'Type',
    ]);
    assert.equal(created.FolderId, root);
    assert.match(created.AccountName, new RegExp(`^[A-Za-z0-9._-]{2,37}@${directoryId.toLowerCase()}\\.aliyunid\\.com$`));
    assert.match(created.JoinTime, ISO_MS);

    await assertFailure(main('CreateResourceAccount', {}), 400, 'MissingParameter.DisplayName', 'You must specify DisplayName.');
    for (const bad of ['x', 'a'.repeat(51), 'Zoë Smith', 'star*name']) {
      await assertFailure(main('CreateResourceAccount', { DisplayName: bad }), 400, 'InvalidParameter.DisplayName', 'The DisplayName is invalid.');
    }
    assert.equal((await account('研发 Dev_1.0-a')).DisplayName, '研发 Dev_1.0-a');
    await assertFailure(
      main('CreateResourceAccount', { DisplayName: 'Default place' }),
      400,
      'InvalidParameter.DisplayName.AlreadyUsed',
      'The display name already exists in the resource directory. Please change to another name.',
    );
    await assertFailure(
      main('CreateResourceAccount', { DisplayName: 'Bad prefix', AccountNamePrefix: '-x' }),
      400,
      'InvalidParameter.AccountNamePrefix',
      'The AccountNamePrefix is invalid.',
    );
    await main('CreateResourceAccount', { DisplayName: 'Prefixed one', AccountNamePrefix: 'taken' });
    await assertFailure(
      main('CreateResourceAccount', { DisplayName: 'Prefixed two', AccountNamePrefix: 'taken' }),
      400,
      'InvalidParameter.AccountNamePrefix.AlreadyUsed',
      'The account name prefix already exists. Please change to another prefix.',
    );
    await assertFailure(main('CreateResourceAccount', { DisplayName: 'Lost', ParentFolderId: 'fd-0000000000' }), 404, 'EntityNotExists.Folder', NO_FOLDER);
  });

  test('GetAccount: the documented shape, flat Tags, and its errors', async () => {
    const created = await account('Get me');
    const got = (await main('GetAccount', { AccountId: created.AccountId, IncludeTags: true })).Account;
    assert.deepEqual(got, {
      ...created,
      EmailStatus: '',
      HasSecureMobilePhone: false,
      IdentityInformation: '',
      Location: '',
      ResourceDirectoryPath: `${directoryId}/${root}/${created.AccountId}`,
      SecureMobilePhone: '',
      Tags: [],
    });
    await assertFailure(main('GetAccount', {}), 400, 'MissingParameter.AccountId', 'You must specify AccountId.');
    await assertFailure(main('GetAccount', { AccountId: '12345' }), 400, 'InvalidParameter.AccountId', 'Specify a 16-digit ID.');
    await assertFailure(main('GetAccount', { AccountId: '1234567890123456' }), 404, 'EntityNotExists.Account', NO_ACCOUNT);
  });

  test('ListAccounts and ListAccountsForParent: Accounts.Account wrapper, paths only in ListAccounts, pagination', async () => {
    const parent = await folder('listAccounts');
    const members = [];
    for (let i = 0; i < 3; i++) members.push(await account(`lister ${i}`, parent.FolderId));

    const byParent = await main('ListAccountsForParent', { ParentFolderId: parent.FolderId, PageSize: 2 });
    assert.deepEqual(Object.keys(byParent).sort(), ['Accounts', 'PageNumber', 'PageSize', 'RequestId', 'TotalCount']);
    assert.equal(byParent.TotalCount, 3);
    assert.equal(byParent.PageSize, 2);
    assert.deepEqual(byParent.Accounts.Account.map((a: { AccountId: string }) => a.AccountId), members.slice(0, 2).map((m) => m.AccountId));
    const item = byParent.Accounts.Account[0];
    assert.equal(item.ResourceDirectoryPath, undefined);
    assert.deepEqual(item.Tags, { Tag: [] });
    assert.equal(item.DeletionStatus, '');
    const page2 = await main('ListAccountsForParent', { ParentFolderId: parent.FolderId, PageSize: 2, PageNumber: 2 });
    assert.deepEqual(page2.Accounts.Account.map((a: { AccountId: string }) => a.AccountId), [members[2].AccountId]);

    const all = await main('ListAccounts', { QueryKeyword: 'lister' });
    assert.equal(all.TotalCount, 3);
    assert.equal(all.Accounts.Account[0].ResourceDirectoryPath, `${directoryId}/${root}/${parent.FolderId}/${members[0].AccountId}`);
    assert.deepEqual(all.Accounts.Account[0].Tags, { Tag: [] });

    // The whole directory includes the management account, in the Root.
    const everyone = await main('ListAccounts', { PageSize: 100 });
    assert.ok(everyone.Accounts.Account.some((a: { AccountId: string }) => a.AccountId === KEYS.main.accountId));
    const inRoot = await main('ListAccountsForParent', { PageSize: 100 });
    assert.ok(inRoot.Accounts.Account.every((a: { FolderId: string }) => a.FolderId === root));
    await assertFailure(main('ListAccounts', { PageSize: '101' }), 400, 'InvalidParameter.PageSize', 'The PageSize is invalid.');
  });

  test('MoveAccount: moves between folders; its errors', async () => {
    const from = await folder('moveFrom');
    const to = await folder('moveTo');
    const member = await account('mover', from.FolderId);
    assert.deepEqual(Object.keys(await main('MoveAccount', { AccountId: member.AccountId, DestinationFolderId: to.FolderId })), ['RequestId']);
    const moved = (await main('GetAccount', { AccountId: member.AccountId })).Account;
    assert.equal(moved.FolderId, to.FolderId);
    assert.equal(moved.ResourceDirectoryPath, `${directoryId}/${root}/${to.FolderId}/${member.AccountId}`);
    assert.equal((await main('ListAccountsForParent', { ParentFolderId: from.FolderId })).TotalCount, 0);

    await assertFailure(main('MoveAccount', { DestinationFolderId: to.FolderId }), 400, 'MissingParameter.AccountId', 'You must specify AccountId.');
    await assertFailure(main('MoveAccount', { AccountId: member.AccountId }), 400, 'MissingParameter.DestinationFolderId', 'You must specify DestinationFolderId.');
    await assertFailure(
      main('MoveAccount', { AccountId: member.AccountId, DestinationFolderId: 'nowhere' }),
      400,
      'InvalidParameter.DestinationFolderId',
      'The DestinationFolderId is invalid.',
    );
    await assertFailure(main('MoveAccount', { AccountId: 'x1', DestinationFolderId: to.FolderId }), 400, 'InvalidParameter.AccountId', 'Specify a 16-digit ID.');
    await assertFailure(main('MoveAccount', { AccountId: member.AccountId, DestinationFolderId: 'fd-0000000000' }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(main('MoveAccount', { AccountId: '1234567890123456', DestinationFolderId: to.FolderId }), 404, 'EntityNotExists.Account', NO_ACCOUNT);
  });

  test('ListAncestors: the Root has none; its errors', async () => {
    assert.deepEqual((await main('ListAncestors', { ChildId: root })).Folders, { Folder: [] });
    await assertFailure(main('ListAncestors', {}), 400, 'MissingParameter.ChildId', 'You must specify ChildId.');
    await assertFailure(main('ListAncestors', { ChildId: '1234567890123456' }), 400, 'InvalidParameter.ChildId', 'The ChildId is invalid.');
  });
});

test("tenant isolation: another directory's folders and accounts behave exactly as nonexistent ones", async () => {
  const other = openApiCore(server.url, KEYS.other);
  // `other` enabled its own directory above; make sure of it whatever the test order.
  await other('EnableResourceDirectory', { EnableMode: 'CurrentAccount' }).catch(() => undefined);
  const otherRoot = (await other('GetResourceDirectory')).ResourceDirectory.RootFolderId;
  const mainFolder = await folder('private');
  const mainAccount = await account('private member', mainFolder.FolderId);
  const ownAccount = (await other('CreateResourceAccount', { DisplayName: 'other member' })).Account;

  const folderIds = [mainFolder.FolderId, root, 'fd-0000000000'];
  for (const id of folderIds) {
    await assertFailure(other('GetFolder', { FolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('ListFoldersForParent', { ParentFolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('CreateFolder', { FolderName: 'intruder', ParentFolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('DeleteFolder', { FolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('ListAncestors', { ChildId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('ListAccountsForParent', { ParentFolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('CreateResourceAccount', { DisplayName: 'intruder', ParentFolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
    await assertFailure(other('MoveAccount', { AccountId: ownAccount.AccountId, DestinationFolderId: id }), 404, 'EntityNotExists.Folder', NO_FOLDER);
  }
  for (const id of [mainAccount.AccountId, KEYS.main.accountId, '1234567890123456']) {
    await assertFailure(other('GetAccount', { AccountId: id }), 404, 'EntityNotExists.Account', NO_ACCOUNT);
    await assertFailure(other('MoveAccount', { AccountId: id, DestinationFolderId: otherRoot }), 404, 'EntityNotExists.Account', NO_ACCOUNT);
  }
  const listed = await other('ListAccounts', { PageSize: 100 });
  assert.deepEqual(
    listed.Accounts.Account.map((a: { AccountId: string }) => a.AccountId).sort(),
    [KEYS.other.accountId, ownAccount.AccountId].sort(),
  );
  // Nothing of main's changed, and main sees none of other's.
  assert.equal((await main('GetAccount', { AccountId: mainAccount.AccountId })).Account.FolderId, mainFolder.FolderId);
  assert.equal((await main('ListFoldersForParent', { ParentFolderId: mainFolder.FolderId })).TotalCount, 0);
  await assertFailure(main('GetAccount', { AccountId: ownAccount.AccountId }), 404, 'EntityNotExists.Account', NO_ACCOUNT);
  await assertFailure(main('GetFolder', { FolderId: otherRoot }), 404, 'EntityNotExists.Folder', NO_FOLDER);
});
