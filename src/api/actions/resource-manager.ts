import { action, without } from '../action.js';
import { controlPolicyActions } from './control-policies.js';
import { list, optionalString, tagList, tokenPaging } from '../params.js';
import { delegationActions } from './delegations.js';
import { directorySettingsActions, memberAccountActions, tagActions } from './directory-admin.js';
import { directoryActions } from './directory.js';

const d = directoryActions;

/**
 * ResourceManager 2020-03-31: the directory operations as that version declares them (the
 * ResourceDirectoryMaster 2022-04-19 ones, some without parameters 2020-03-31 does not know),
 * plus InitResourceDirectory, and ListTagResources whose ResourceType defaults to resource groups. Message contacts and the 2022 additions
 * (SetMemberDisplayNameSyncStatus, UpdatePayerForAccount) do not exist at this version. Its
 * answers are src/api/presenters/resource-manager-2020-03-31.ts; docs/compatibility.md, "Two
 * versions", says how they differ.
 */
export const resourceManagerActions = {
  EnableResourceDirectory: without(d.EnableResourceDirectory, ['DryRun']),
  InitResourceDirectory: action({}, async ({ caller, services }) => services.directory.enable(caller.accountId, 'CurrentAccount'), d.EnableResourceDirectory.raises),
  GetResourceDirectory: d.GetResourceDirectory,
  CreateFolder: without(d.CreateFolder, ['Tag']),
  GetFolder: d.GetFolder,
  UpdateFolder: d.UpdateFolder,
  ListFoldersForParent: without(d.ListFoldersForParent, ['Tag']),
  DeleteFolder: d.DeleteFolder,
  CreateResourceAccount: without(d.CreateResourceAccount, ['DryRun']),
  GetAccount: d.GetAccount,
  ListAccounts: without(d.ListAccounts, ['MaxResults', 'NextToken', 'QueryKeyword']),
  ListAccountsForParent: d.ListAccountsForParent,
  MoveAccount: d.MoveAccount,
  ListAncestors: d.ListAncestors,
  ...directorySettingsActions,
  ...memberAccountActions,
  ...tagActions,
  ...controlPolicyActions,
  CreateControlPolicy: without(controlPolicyActions.CreateControlPolicy, ['Tag']),
  ListControlPolicies: without(controlPolicyActions.ListControlPolicies, ['Tag']),
  ListTagResources: action(
    { ResourceType: optionalString(), ResourceId: list(), Tag: tagList(), ...tokenPaging },
    async ({ caller, services }, p) => services.tags.listWithResourceGroups(caller.accountId, p), tagActions.ListTagResources.raises,
  ),
  ...delegationActions,
  // MaxResults and NextToken came with ResourceDirectoryMaster 2022-04-19's 2026 model.
  ListDelegatedServicesForAccount: without(delegationActions.ListDelegatedServicesForAccount, ['MaxResults', 'NextToken']),
};
