import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { boolean, list, optionalString, presentOrEmpty, requiredString, tagList, tokenPaging } from '../params.js';

/** The directory's switches and its destruction (docs/compatibility.md, "Directory settings"). */
export const directorySettingsActions = {
  DestroyResourceDirectory: action({}, async ({ caller, services }) => services.directorySettings.destroy(caller.accountId), [errors.resourceDirectoryNotExists, errors.directoryHasAccounts, errors.directoryHasFolders, errors.directoryHasContacts]),
  EnableControlPolicy: action({}, async ({ caller, services }) => services.directorySettings.setControlPolicy(caller.accountId, 'Enabled'), [errors.resourceDirectoryNotExists]),
  DisableControlPolicy: action({}, async ({ caller, services }) => services.directorySettings.setControlPolicy(caller.accountId, 'Disabled'), [errors.resourceDirectoryNotExists]),
  SetMemberDeletionPermission: action({ Status: requiredString() }, async ({ caller, services }, p) =>
    services.directorySettings.setMemberDeletion(caller.accountId, p.Status), [errors.resourceDirectoryNotExists, errors.invalidStatus]
  ),
};

/** A member's life after creation: updates, payer, deletion (docs/compatibility.md, "Member accounts"). */
export const memberAccountActions = {
  UpdateAccount: action(
    { AccountId: requiredString(), NewDisplayName: optionalString(), NewAccountType: optionalString(), DryRun: boolean(false) },
    async ({ caller, services }, p) => services.accounts.update(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.missingParameter('NewDisplayName'), () => errors.invalidParameter('NewAccountType'), errors.invalidAccountId, errors.accountNotExists, errors.accountTypeMismatch, errors.invalidDisplayName, errors.displayNameAlreadyUsed, errors.dryRunOperation]
  ),
  GetPayerForAccount: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.payer(caller.accountId, p.AccountId), [errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists]
  ),
  CheckAccountDelete: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.checkDelete(caller.accountId, p.AccountId), [errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists, errors.accountTypeOrStatusMismatch, errors.memberDeletionDisabled, errors.memberIsDelegatedAdministrator]
  ),
  GetAccountDeletionCheckResult: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.checkResult(caller.accountId, p.AccountId), [errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists, errors.noCheckTask]
  ),
  DeleteAccount: action({ AccountId: requiredString(), AbandonableCheckId: optionalString() }, async ({ caller, services }, p) =>
    services.accounts.delete(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.invalidParameter('AbandonableCheckId'), errors.invalidAccountId, errors.accountNotExists, errors.accountTypeOrStatusMismatch, errors.memberDeletionDisabled, errors.memberIsDelegatedAdministrator, errors.accountPaysForOthers]
  ),
  GetAccountDeletionStatus: action({ AccountId: requiredString() }, async ({ caller, services }, p) =>
    services.accounts.deletionStatus(caller.accountId, p.AccountId), [errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists, errors.noCheckTask]
  ),
};

/** Tags on folders and member accounts (docs/compatibility.md, "Tags"). */
export const tagActions = {
  TagResources: action({ ResourceType: requiredString(), ResourceId: list(), Tag: tagList() }, async ({ caller, services }, p) =>
    services.tags.tag(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.missingParameter('ResourceId'), () => errors.invalidParameter('ResourceId'), () => errors.missingParameter('Tag'), () => errors.resourceNotExists('Account'), () => errors.resourceNotExists('Folder'), errors.tagLimit]
  ),
  UntagResources: action(
    { ResourceType: requiredString(), ResourceId: list(), TagKey: list(), All: boolean(false) },
    async ({ caller, services }, p) => services.tags.untag(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.missingParameter('ResourceId'), () => errors.invalidParameter('ResourceId'), () => errors.resourceNotExists('Account'), () => errors.resourceNotExists('Folder'), errors.tagLimit]
  ),
  ListTagResources: action(
    { ResourceType: requiredString(), ResourceId: list(), Tag: tagList(), ...tokenPaging },
    async ({ caller, services }, p) => services.tags.list(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.invalidParameter('ResourceId'), () => errors.invalidParameter('NextToken'), errors.tagLimit]
  ),
  ListTagKeys: action({ ResourceType: requiredString(), KeyFilter: optionalString(), ...tokenPaging }, async ({ caller, services }, p) =>
    services.tags.keys(caller.accountId, p), [() => errors.invalidParameter('ResourceType'), () => errors.invalidParameter('NextToken'), errors.resourceDirectoryNotExists]
  ),
  ListTagValues: action({ ResourceType: requiredString(), TagKey: requiredString(), ValueFilter: optionalString(), ...tokenPaging }, async ({ caller, services }, p) =>
    services.tags.values(caller.accountId, p), [() => errors.invalidParameter('ResourceType'), () => errors.invalidParameter('NextToken'), errors.resourceDirectoryNotExists]
  ),
};

/** Actions ResourceDirectoryMaster 2022-04-19 added; ResourceManager 2020-03-31 has no such action. */
export const additions2022 = {
  SetMemberDisplayNameSyncStatus: action({ Status: requiredString() }, async ({ caller, services }, p) =>
    services.directorySettings.setDisplayNameSync(caller.accountId, p.Status), [errors.resourceDirectoryNotExists, errors.invalidStatus]
  ),
  UpdatePayerForAccount: action({ AccountId: requiredString(), PayerAccountId: presentOrEmpty() }, async ({ caller, services }, p) =>
    services.accounts.setPayer(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.missingParameter('PayerAccountId'), errors.invalidAccountId, errors.accountNotExists, () => errors.invalidParameter('PayerAccountId'), errors.payerNotInDirectory]
  ),
};
