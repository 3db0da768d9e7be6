import { action, type ActionDefinition } from '../action.js';
import { boolean, list, optionalString, presentOrEmpty, requiredString, tagList, tokenPaging } from '../params.js';

/** The directory's switches and its destruction (docs/compatibility.md, "Directory settings"). */
export const directorySettingsActions: Record<string, ActionDefinition> = {
  DestroyResourceDirectory: action({}, async ({ caller, services }) => services.directorySettings.destroy(caller.accountId)),
  EnableControlPolicy: action({}, async ({ caller, services }) => services.directorySettings.setControlPolicy(caller.accountId, 'Enabled')),
  DisableControlPolicy: action({}, async ({ caller, services }) => services.directorySettings.setControlPolicy(caller.accountId, 'Disabled')),
  SetMemberDeletionPermission: action({ Status: requiredString() }, async ({ caller, services }, p) =>
    services.directorySettings.setMemberDeletion(caller.accountId, p.Status),
  ),
};

/** A member's life after creation: updates, payer, deletion (docs/compatibility.md, "Member accounts"). */
export const memberAccountActions: Record<string, ActionDefinition> = {
  UpdateAccount: action(
    { AccountId: requiredString(), NewDisplayName: optionalString(), NewAccountType: optionalString(), DryRun: boolean(false) },
    async ({ caller, services }, p) => services.accounts.update(caller.accountId, p),
  ),
  GetPayerForAccount: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.payer(caller.accountId, p.AccountId),
  ),
  CheckAccountDelete: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.checkDelete(caller.accountId, p.AccountId),
  ),
  GetAccountDeletionCheckResult: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.checkResult(caller.accountId, p.AccountId),
  ),
  DeleteAccount: action({ AccountId: requiredString(), AbandonableCheckId: optionalString() }, async ({ caller, services }, p) =>
    services.accounts.delete(caller.accountId, p),
  ),
  GetAccountDeletionStatus: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.deletionStatus(caller.accountId, p.AccountId),
  ),
};

/** Tags on folders and member accounts (docs/compatibility.md, "Tags"). */
export const tagActions: Record<string, ActionDefinition> = {
  TagResources: action({ ResourceType: requiredString(), ResourceId: list(), Tag: tagList() }, async ({ caller, services }, p) =>
    services.tags.tag(caller.accountId, p),
  ),
  UntagResources: action(
    { ResourceType: requiredString(), ResourceId: list(), TagKey: list(), All: boolean(false) },
    async ({ caller, services }, p) => services.tags.untag(caller.accountId, p),
  ),
  ListTagResources: action(
    { ResourceType: requiredString(), ResourceId: list(), Tag: tagList(), ...tokenPaging },
    async ({ caller, services }, p) => services.tags.list(caller.accountId, p),
  ),
};

/** Actions ResourceDirectoryMaster 2022-04-19 added; ResourceManager 2020-03-31 has no such action. */
export const additions2022: Record<string, ActionDefinition> = {
  SetMemberDisplayNameSyncStatus: action({ Status: requiredString() }, async ({ caller, services }, p) =>
    services.directorySettings.setDisplayNameSync(caller.accountId, p.Status),
  ),
  UpdatePayerForAccount: action({ AccountId: requiredString(), PayerAccountId: presentOrEmpty() }, async ({ caller, services }, p) =>
    services.accounts.setPayer(caller.accountId, p),
  ),
};
