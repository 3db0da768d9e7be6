import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { boolean, optionalInteger, optionalString, paging, requiredString, tagList } from '../params.js';

/** Resource-directory structure actions (docs/reference/api-notes.md section 6; docs/compatibility.md, "Directory actions"). */
export const directoryActions = {
  EnableResourceDirectory: action(
    {
      EnableMode: requiredString(),
      MAName: optionalString(),
      MASecureMobilePhone: optionalString(),
      VerificationCode: optionalString(),
      DryRun: boolean(false),
    },
    async ({ caller, services }, p) => services.directory.enable(caller.accountId, p.EnableMode, p.DryRun), [errors.enableModeUnsupported, errors.resourceDirectoryAlreadyExists, errors.accountInAnotherDirectory, errors.dryRunOperation]
  ),
  GetResourceDirectory: action({}, async ({ caller, services }) => services.directory.get(caller.accountId), [errors.resourceDirectoryNotInUse]),
  CreateFolder: action(
    { FolderName: requiredString(errors.missingFolderName), ParentFolderId: optionalString(), Tag: tagList() },
    async ({ caller, services }, p) => services.directory.createFolder(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.invalidFolderNameLength, errors.invalidFolderName, errors.invalidParentFolderId, errors.folderNotExists, errors.folderDepthExceeded, errors.folderNameAlreadyUsed, errors.folderQuotaExceeded, errors.tagLimit]
  ),
  GetFolder: action({ FolderId: requiredString() }, async ({ caller, services }, p) => services.directory.getFolder(caller.accountId, p.FolderId), [errors.resourceDirectoryNotExists, errors.invalidFolderId, errors.folderNotExists]),
  UpdateFolder: action({ FolderId: requiredString(), NewFolderName: requiredString() }, async ({ caller, services }, p) =>
    services.directory.updateFolder(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.invalidFolderNameLength, errors.invalidFolderName, errors.invalidFolderId, errors.folderNotExists, errors.rootFolderRename, errors.folderNameAlreadyUsed]
  ),
  ListFoldersForParent: action(
    { ParentFolderId: optionalString(), QueryKeyword: optionalString(), Tag: tagList(), ...paging },
    async ({ caller, services }, p) => services.directory.listFoldersForParent(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.invalidParentFolderId, errors.folderNotExists, errors.tagLimit]
  ),
  DeleteFolder: action({ FolderId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.deleteFolder(caller.accountId, p.FolderId), [errors.resourceDirectoryNotExists, errors.invalidFolderId, errors.folderNotExists, errors.rootFolderUndeletable, errors.folderHasSubFolders, errors.folderHasAccounts]
  ),
  CreateResourceAccount: action(
    {
      DisplayName: requiredString(),
      AccountNamePrefix: optionalString(),
      ParentFolderId: optionalString(),
      PayerAccountId: optionalString(),
      ResellAccountType: optionalString(),
      Tag: tagList(),
      // Terraform's spelling of Tag.N (docs/compatibility.md).
      Tags: tagList(),
      DryRun: boolean(false),
    },
    async ({ caller, services }, p) => services.directory.createResourceAccount(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.invalidDisplayName, errors.invalidAccountNamePrefix, () => errors.invalidParameter('ResellAccountType'), errors.invalidParentFolderId, errors.folderNotExists, errors.displayNameAlreadyUsed, () => errors.invalidParameter('PayerAccountId'), errors.payerNotInDirectory, errors.accountQuotaExceeded, errors.accountNamePrefixAlreadyUsed, errors.tagLimit, errors.dryRunOperation]
  ),
  GetAccount: action({ AccountId: requiredString(), IncludeTags: boolean(false) }, async ({ caller, services }, p) =>
    services.directory.getAccount(caller.accountId, p.AccountId, p.IncludeTags), [errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists]
  ),
  ListAccounts: action(
    {
      QueryKeyword: optionalString(),
      IncludeTags: boolean(false),
      Tag: tagList(),
      MaxResults: optionalInteger({ min: 1, max: 100 }),
      NextToken: optionalString(),
      ...paging,
    },
    async ({ caller, services }, p) => services.directory.listAccounts(caller.accountId, p, false), [errors.resourceDirectoryNotExists, () => errors.invalidParameter('NextToken'), errors.tagLimit]
  ),
  ListAccountsForParent: action(
    { ParentFolderId: optionalString(), QueryKeyword: optionalString(), IncludeTags: boolean(false), Tag: tagList(), ...paging },
    async ({ caller, services }, p) => services.directory.listAccounts(caller.accountId, p, true), [errors.resourceDirectoryNotExists, errors.invalidParentFolderId, errors.folderNotExists, errors.tagLimit]
  ),
  MoveAccount: action({ AccountId: requiredString(), DestinationFolderId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.moveAccount(caller.accountId, p.AccountId, p.DestinationFolderId), [errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists, errors.invalidDestinationFolderId, errors.folderNotExists, errors.associateConflict]
  ),
  ListAncestors: action({ ChildId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.listAncestors(caller.accountId, p.ChildId), [errors.resourceDirectoryNotExists, errors.invalidChildId, errors.folderNotExists]
  ),
};
