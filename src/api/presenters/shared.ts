import type { DirectorySwitches } from '../../services/directory-settings.js';
import type { AccountPage, AccountView, DirectoryView, FolderDetail, FolderPage } from '../../services/directory.js';
import type { CompletedDeletion, PayerView } from '../../services/accounts.js';
import type { TagNamePage, TagPage, TagView } from '../../services/tags.js';
import type { AccountDeletionRecord, AccountRecord, DirectoryRecord, FolderRecord } from '../../storage/records.js';
import type { Presenter } from '../action.js';
import type { directorySettingsActions, memberAccountActions, tagActions } from '../actions/directory-admin.js';
import { directoryTimeOf, fixed, integer, nothing, object, objects, optional, text, type Answer } from './answer.js';

/**
 * Answers and fields that ResourceDirectoryMaster 2022-04-19 and ResourceManager 2020-03-31
 * send alike. A version's presenter names each of its answers; where the versions differ,
 * each writes its own fields, taking single fields from here.
 */

/** Each field of a member account that answers show, on its own. */
export const accountField = {
  AccountId: text((a: AccountRecord) => a.id),
  AccountName: text((a: AccountRecord) => a.accountName),
  DisplayName: text((a: AccountRecord) => a.displayName),
  FolderId: text((a: AccountRecord) => a.folderId ?? ''),
  JoinMethod: text((a: AccountRecord) => a.joinMethod),
  JoinTime: directoryTimeOf((a: AccountRecord) => a.joinTime),
  ModifyTime: directoryTimeOf((a: AccountRecord) => a.modifyTime),
  ResourceDirectoryId: text((a: AccountRecord) => a.directoryId ?? ''),
  Status: text((a: AccountRecord) => (a.joinMethod === 'created' ? 'CreateSuccess' : 'InviteSuccess')),
  Type: text((a: AccountRecord) => a.type),
  /** Fields rdmc has no data for, sent empty as the real service sends them for a plain account. */
  empty: fixed<AccountRecord>('string', ''),
  ResourceDirectoryPath: text((a: AccountView) => a.path),
};

/** The fields every account answer starts with (CreateResourceAccount, UpdateAccount, GetAccount, list items). */
export const accountSummary: Answer<AccountRecord> = {
  AccountId: accountField.AccountId,
  AccountName: accountField.AccountName,
  DisplayName: accountField.DisplayName,
  FolderId: accountField.FolderId,
  JoinMethod: accountField.JoinMethod,
  JoinTime: accountField.JoinTime,
  ModifyTime: accountField.ModifyTime,
  ResourceDirectoryId: accountField.ResourceDirectoryId,
  Status: accountField.Status,
  Type: accountField.Type,
};

export const tag: Answer<TagView> = { Key: text((t: TagView) => t.key), Value: text((t: TagView) => t.value) };
/** The wrapped list style of the directory lists: `"Tags": {"Tag": [...]}`. */
export const wrappedTags = object({ Tag: objects(tag, (tags: TagView[]) => tags) }, (v: { tags: TagView[] }) => v.tags);

/** Number paging, as every numbered list answers it. */
export const pageField = {
  PageNumber: integer((p: { paging: { pageNumber: number } }) => p.paging.pageNumber),
  PageSize: integer((p: { paging: { pageNumber: number; pageSize: number } }) => p.paging.pageSize),
  TotalCount: integer((p: { total: number }) => p.total),
};

/** EnableResourceDirectory (2022-04-19) and InitResourceDirectory (2020-03-31). */
export const newDirectory: Answer<DirectoryRecord> = {
  ResourceDirectory: object(
    {
      CreateTime: directoryTimeOf((d: DirectoryRecord) => d.createTime),
      MasterAccountId: text((d: DirectoryRecord) => d.masterAccountId),
      MasterAccountName: text((d: DirectoryRecord) => d.masterAccountName),
      ResourceDirectoryId: text((d: DirectoryRecord) => d.id),
      RootFolderId: text((d: DirectoryRecord) => d.rootFolderId),
    },
    (d: DirectoryRecord) => d,
  ),
};

/** Each field of GetResourceDirectory's object, on its own. */
export const directoryField = {
  ControlPolicyStatus: text((d: DirectoryView) => d.settings.controlPolicyStatus),
  CreateTime: directoryTimeOf((d: DirectoryView) => d.createTime),
  IdentityInformation: fixed<DirectoryView>('string', ''),
  MasterAccountId: text((d: DirectoryView) => d.masterAccountId),
  MasterAccountName: text((d: DirectoryView) => d.masterAccountName),
  MemberAccountDisplayNameSyncStatus: text((d: DirectoryView) => d.settings.memberDisplayNameSyncStatus),
  MemberDeletionStatus: text((d: DirectoryView) => d.settings.memberDeletionStatus),
  ResourceDirectoryId: text((d: DirectoryView) => d.id),
  RootFolderId: text((d: DirectoryView) => d.rootFolderId),
};

export const folderField = {
  CreateTime: directoryTimeOf((f: FolderRecord) => f.createTime),
  FolderId: text((f: FolderRecord) => f.id),
  FolderName: text((f: FolderRecord) => f.name),
  ParentFolderId: text((f: FolderRecord) => f.parentId ?? ''),
};

/** CreateFolder and UpdateFolder. */
export const folderAnswer: Answer<FolderRecord> = {
  Folder: object(
    { CreateTime: folderField.CreateTime, FolderId: folderField.FolderId, FolderName: folderField.FolderName, ParentFolderId: folderField.ParentFolderId },
    (f: FolderRecord) => f,
  ),
};

export const getFolder: Answer<FolderDetail> = {
  Folder: object(
    {
      CreateTime: folderField.CreateTime,
      FolderId: folderField.FolderId,
      FolderName: folderField.FolderName,
      ParentFolderId: folderField.ParentFolderId,
      ResourceDirectoryPath: text((f: FolderDetail) => f.path),
    },
    (f: FolderDetail) => f,
  ),
};

/** The folder list items both versions share: the folder without its tags. */
export const folderListItem: Answer<FolderRecord> = {
  CreateTime: folderField.CreateTime,
  FolderId: folderField.FolderId,
  FolderName: folderField.FolderName,
};

export const listAncestors: Answer<FolderRecord[]> = {
  Folders: object({ Folder: objects(folderListItem, (fs: FolderRecord[]) => fs) }, (fs: FolderRecord[]) => fs),
};

/** A numbered page of folders, each item as `item` shows it. */
export const folderPage = (item: Answer<FolderPage['folders'][number]>): Answer<FolderPage> => ({
  PageNumber: pageField.PageNumber,
  PageSize: pageField.PageSize,
  TotalCount: pageField.TotalCount,
  Folders: object({ Folder: objects(item, (p: FolderPage) => p.folders) }, (p: FolderPage) => p),
});

/** A page of accounts (numbered, or by token for ListAccounts at 2022-04-19), each item as `item` shows it. */
export const accountPage = (item: Answer<AccountPage['accounts'][number]>): Answer<AccountPage> => ({
  PageNumber: optional(integer((p: AccountPage) => ('pageNumber' in p.paging ? p.paging.pageNumber : undefined))),
  PageSize: optional(integer((p: AccountPage) => ('pageSize' in p.paging ? p.paging.pageSize : undefined))),
  MaxResults: optional(integer((p: AccountPage) => ('maxResults' in p.paging ? p.paging.maxResults : undefined))),
  TotalCount: pageField.TotalCount,
  Accounts: object({ Account: objects(item, (p: AccountPage) => p.accounts) }, (p: AccountPage) => p),
  NextToken: optional(text((p: AccountPage) => p.nextToken)),
});

/** ListAccountsForParent items, alike in both versions: no path. */
export const accountInFolder: Answer<AccountPage['accounts'][number]> = {
  ...accountSummary,
  DeletionStatus: accountField.empty,
  Tags: wrappedTags,
};

/** The switches, their single-field answers. */
export const controlPolicy: Answer<DirectorySwitches> = {
  EnablementStatus: text((s: DirectorySwitches) => s.settings.controlPolicyStatus),
};
export const memberDeletion: Answer<DirectorySwitches> = {
  ManagementAccountId: text((s: DirectorySwitches) => s.directory.masterAccountId),
  MemberDeletionStatus: text((s: DirectorySwitches) => s.settings.memberDeletionStatus),
  ResourceDirectoryId: text((s: DirectorySwitches) => s.directory.id),
};

export const updateAccount: Answer<AccountRecord> = { Account: object(accountSummary, (a: AccountRecord) => a) };
export const createAccount: Answer<AccountRecord> = updateAccount;

export const payer: Answer<PayerView> = {
  PayerAccountId: text((p: PayerView) => p.payerAccountId ?? ''),
  PayerAccountName: text((p: PayerView) => p.payerAccountName ?? ''),
};

/** Every check allows the deletion: rdmc has no product that could hold an account back. */
export const deletionCheck: Answer<AccountDeletionRecord> = {
  AccountDeletionCheckResultInfo: object(
    {
      AbandonableChecks: fixed('object[]', []),
      AllowDelete: fixed('string', 'true'),
      NotAllowReason: fixed('object[]', []),
      Status: fixed('string', 'PreCheckComplete'),
    },
    (r: AccountDeletionRecord) => r,
  ),
};

/** `0`: a member deleted at once, without a silence period. */
export const deleteAccount: Answer<void> = { DeletionType: fixed('string', '0') };

export const accountDeletionStatus: Answer<CompletedDeletion> = {
  RdAccountDeletionStatus: object(
    {
      AccountId: text((r: CompletedDeletion) => r.accountId),
      CreateTime: directoryTimeOf((r: CompletedDeletion) => r.deletedAt),
      DeletionTime: directoryTimeOf((r: CompletedDeletion) => r.deletedAt),
      DeletionType: fixed('string', '0'),
      FailReasonList: fixed('object[]', []),
      Status: fixed('string', 'Success'),
    },
    (r: CompletedDeletion) => r,
  ),
};

export const listTagResources: Answer<TagPage> = {
  TagResources: objects(
    {
      ResourceId: text((t: TagPage['tags'][number]) => t.resourceId),
      ResourceType: text((t: TagPage['tags'][number]) => t.resourceType),
      TagKey: text((t: TagPage['tags'][number]) => t.key),
      TagValue: text((t: TagPage['tags'][number]) => t.value),
    },
    (p: TagPage) => p.tags,
  ),
  NextToken: optional(text((p: TagPage) => p.nextToken)),
};

/** ListTagKeys (`Key`) and ListTagValues (`Value`): a list of names, token paged. */
const tagNames = (field: 'Key' | 'Value'): Answer<TagNamePage> => ({
  Tags: objects({ [field]: text((name: string) => name) }, (p: TagNamePage) => p.names),
  NextToken: optional(text((p: TagNamePage) => p.nextToken)),
});

/** The directory's switches, member accounts' life and tags: both versions answer them alike. */
export const administration: Presenter<typeof directorySettingsActions & typeof memberAccountActions & typeof tagActions> = {
  DestroyResourceDirectory: nothing,
  EnableControlPolicy: controlPolicy,
  DisableControlPolicy: controlPolicy,
  SetMemberDeletionPermission: memberDeletion,
  UpdateAccount: updateAccount,
  GetPayerForAccount: payer,
  CheckAccountDelete: nothing,
  GetAccountDeletionCheckResult: deletionCheck,
  DeleteAccount: deleteAccount,
  GetAccountDeletionStatus: accountDeletionStatus,
  TagResources: nothing,
  UntagResources: nothing,
  ListTagResources: listTagResources,
  ListTagKeys: tagNames('Key'),
  ListTagValues: tagNames('Value'),
};
