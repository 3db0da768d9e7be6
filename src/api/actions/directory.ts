import { errors } from '../../domain/errors.js';
import { action, type ActionDefinition } from '../action.js';
import { boolean, optionalString, paging, requiredString } from '../params.js';

/** Resource-directory structure actions (docs/reference/api.md section 6). */
export const directoryActions: Record<string, ActionDefinition> = {
  EnableResourceDirectory: action(
    { EnableMode: requiredString(), MAName: optionalString(), MASecureMobilePhone: optionalString(), VerificationCode: optionalString() },
    async ({ caller, services }, p) => ({ ResourceDirectory: await services.directory.enable(caller.accountId, p.EnableMode) }),
  ),
  GetResourceDirectory: action({}, async ({ caller, services }) => ({
    ResourceDirectory: await services.directory.get(caller.accountId),
  })),
  CreateFolder: action(
    { FolderName: requiredString(errors.missingFolderName), ParentFolderId: optionalString() },
    async ({ caller, services }, p) => ({ Folder: await services.directory.createFolder(caller.accountId, p) }),
  ),
  GetFolder: action({ FolderId: requiredString() }, async ({ caller, services }, p) => ({
    Folder: await services.directory.getFolder(caller.accountId, p.FolderId),
  })),
  ListFoldersForParent: action(
    { ParentFolderId: optionalString(), QueryKeyword: optionalString(), ...paging },
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
    },
    async ({ caller, services }, p) => ({ Account: await services.directory.createResourceAccount(caller.accountId, p) }),
  ),
  GetAccount: action({ AccountId: requiredString(), IncludeTags: boolean(false) }, async ({ caller, services }, p) => ({
    Account: await services.directory.getAccount(caller.accountId, p.AccountId),
  })),
  ListAccounts: action(
    { QueryKeyword: optionalString(), IncludeTags: boolean(false), ...paging },
    async ({ caller, services }, p) => services.directory.listAccounts(caller.accountId, p, false),
  ),
  ListAccountsForParent: action(
    { ParentFolderId: optionalString(), QueryKeyword: optionalString(), IncludeTags: boolean(false), ...paging },
    async ({ caller, services }, p) => services.directory.listAccounts(caller.accountId, p, true),
  ),
  MoveAccount: action({ AccountId: requiredString(), DestinationFolderId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.moveAccount(caller.accountId, p.AccountId, p.DestinationFolderId),
  ),
  ListAncestors: action({ ChildId: requiredString() }, async ({ caller, services }, p) =>
    services.directory.listAncestors(caller.accountId, p.ChildId),
  ),
};
