import type { Presenter } from '../action.js';
import type { resourceManagerActions } from '../actions/resource-manager.js';
import type { AccountView, DirectoryView } from '../../services/directory.js';
import { nothing, object, objects, type Answer } from './answer.js';
import { controlPolicyAnswers, controlPolicyItem2020 } from './control-policies.js';
import { delegationAnswers } from './delegations.js';
import {
  accountField,
  accountInFolder,
  accountPage,
  accountSummary,
  createAccount,
  directoryField,
  folderAnswer,
  folderListItem,
  folderPage,
  getFolder,
  listAncestors,
  newDirectory,
  tag,
  wrappedTags,
  administration,
} from './shared.js';

/** The account fields 2020-03-31 shows in GetAccount and ListAccounts; no AccountName in a ListAccounts item. */
const a = accountField;

/**
 * ResourceManager 2020-03-31: the answer of every action it serves, as that version's
 * response models declare them (docs/compatibility.md, "Two versions"): GetResourceDirectory
 * has the legacy `ScpStatus` (what Terraform's data source reads: the control-policy status)
 * and no display-name sync; GetAccount has no secure mobile phone; ListAccounts items have
 * neither AccountName nor DeletionStatus; folder list items have no tags.
 */
export const resourceManager20200331: Presenter<typeof resourceManagerActions> = {
  EnableResourceDirectory: newDirectory,
  InitResourceDirectory: newDirectory,
  GetResourceDirectory: {
    ResourceDirectory: object(
      {
        ControlPolicyStatus: directoryField.ControlPolicyStatus,
        CreateTime: directoryField.CreateTime,
        IdentityInformation: directoryField.IdentityInformation,
        MasterAccountId: directoryField.MasterAccountId,
        MasterAccountName: directoryField.MasterAccountName,
        MemberDeletionStatus: directoryField.MemberDeletionStatus,
        ResourceDirectoryId: directoryField.ResourceDirectoryId,
        RootFolderId: directoryField.RootFolderId,
        ScpStatus: directoryField.ControlPolicyStatus,
      },
      (d: DirectoryView) => d,
    ),
  },
  CreateFolder: folderAnswer,
  GetFolder: getFolder,
  UpdateFolder: folderAnswer,
  ListFoldersForParent: folderPage(folderListItem),
  DeleteFolder: nothing,
  CreateResourceAccount: createAccount,
  GetAccount: {
    Account: object<AccountView, AccountView>(
      {
        ...accountSummary,
        EmailStatus: a.empty,
        IdentityInformation: a.empty,
        Location: a.empty,
        ResourceDirectoryPath: a.ResourceDirectoryPath,
        Tags: objects(tag, (v: AccountView) => v.tags),
      },
      (v: AccountView) => v,
    ),
  },
  ListAccounts: accountPage({
    AccountId: a.AccountId,
    DisplayName: a.DisplayName,
    FolderId: a.FolderId,
    JoinMethod: a.JoinMethod,
    JoinTime: a.JoinTime,
    ModifyTime: a.ModifyTime,
    ResourceDirectoryId: a.ResourceDirectoryId,
    Status: a.Status,
    Type: a.Type,
    Tags: wrappedTags,
    ResourceDirectoryPath: a.ResourceDirectoryPath,
  } satisfies Answer<AccountView>),
  ListAccountsForParent: accountPage(accountInFolder),
  MoveAccount: nothing,
  ListAncestors: listAncestors,
  ...administration,
  ...controlPolicyAnswers(controlPolicyItem2020),
  ...delegationAnswers,
};
