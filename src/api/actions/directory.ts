import { errors } from '../../domain/errors.js';
import { action, type ActionDefinition } from '../action.js';
import { boolean, optionalInteger, optionalString, paging, requiredString, tagList } from '../params.js';

/** Resource-directory structure actions (docs/reference/api.md section 6; docs/compatibility.md, "Directory actions"). */
export const directoryActions: Record<string, ActionDefinition> = {
  EnableResourceDirectory: action(
    {
      EnableMode: requiredString(),
      MAName: optionalString(),
      MASecureMobilePhone: optionalString(),
      VerificationCode: optionalString(),
      DryRun: boolean(false),
    },
    async ({ caller, services }, p) => ({ ResourceDirectory: await services.directory.enable(caller.accountId, p.EnableMode, p.DryRun) }),
  ),
  GetResourceDirectory: action({}, async ({ caller, services }) => ({
    ResourceDirectory: await services.directory.get(caller.accountId),
  })),
  CreateFolder: action(
    { FolderName: requiredString(errors.missingFolderName), ParentFolderId: optionalString(), Tag: tagList() },
    async ({ caller, services }, p) => ({ Folder: await services.directory.createFolder(caller.accountId, p) }),
  ),
  GetFolder: action({ FolderId: requiredString() }, async ({ caller, services }, p) => ({
    Folder: await services.directory.getFolder(caller.accountId, p.FolderId),
  })),
  UpdateFolder: action({ FolderId: requiredString(), NewFolderName: requiredString() }, async ({ caller, services }, p) => ({
    Folder: await services.directory.updateFolder(caller.accountId, p),
  })),
  ListFoldersForParent: action(
    { ParentFolderId: optionalString(), QueryKeyword: optionalString(), Tag: tagList(), ...paging },
    async ({ caller, services }, p) => services.directory.listFoldersForParent(caller.accountId, p),
  ),
  DeleteFolder: action({ FolderId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.deleteFolder(caller.accountId, p.FolderId),
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
    async ({ caller, services }, p) => ({ Account: await services.directory.createResourceAccount(caller.accountId, p) }),
  ),
  GetAccount: action({ AccountId: requiredString(), IncludeTags: boolean(false) }, async ({ caller, services }, p) => ({
    Account: await services.directory.getAccount(caller.accountId, p.AccountId, p.IncludeTags),
  })),
  ListAccounts: action(
    {
      QueryKeyword: optionalString(),
      IncludeTags: boolean(false),
      Tag: tagList(),
      MaxResults: optionalInteger({ min: 1, max: 100 }),
      NextToken: optionalString(),
      ...paging,
    },
    async ({ caller, services }, p) => services.directory.listAccounts(caller.accountId, p, false),
  ),
  ListAccountsForParent: action(
    { ParentFolderId: optionalString(), QueryKeyword: optionalString(), IncludeTags: boolean(false), Tag: tagList(), ...paging },
    async ({ caller, services }, p) => services.directory.listAccounts(caller.accountId, p, true),
  ),
  MoveAccount: action({ AccountId: requiredString(), DestinationFolderId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.moveAccount(caller.accountId, p.AccountId, p.DestinationFolderId),
  ),
  ListAncestors: action({ ChildId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.listAncestors(caller.accountId, p.ChildId),
  ),
};
