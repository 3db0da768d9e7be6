import { errors } from '../../domain/errors.js';
import { action, without } from '../action.js';
import { optionalString, paging, requiredString, tagList } from '../params.js';

const handshakeErrors = [() => errors.missingParameter('HandshakeId'), () => errors.invalidParameter('HandshakeId'), errors.handshakeNotExists, errors.handshakeStatusMismatch];

/**
 * Invitations between tenants (docs/reference/invitations.md; docs/compatibility.md,
 * "Invitations"): the management account invites and cancels, the invited account accepts or
 * declines with its own keys, either side reads.
 */
export const handshakeActions = {
  InviteAccountToResourceDirectory: action(
    { TargetEntity: requiredString(), TargetType: requiredString(), Note: optionalString(), ParentFolderId: optionalString(), Tag: tagList() },
    async ({ caller, services }, p) => services.handshakes.invite(caller.accountId, p),
    [
      errors.resourceDirectoryNotExists,
      () => errors.invalidParameter('TargetEntity'),
      () => errors.invalidParameter('TargetType'),
      () => errors.invalidParameter('Note'),
      errors.handshakeNoteLength,
      errors.invalidParentFolderId,
      errors.folderNotExists,
      errors.accountAlreadyMember,
      errors.invitedAccountInAnotherDirectory,
      errors.handshakeAlreadyExists,
      errors.accountQuotaExceeded,
      errors.invitationRate,
      errors.sameTargetInvitationRate,
      errors.tagLimit,
    ],
  ),
  AcceptHandshake: action({ HandshakeId: requiredString() }, async ({ caller, services }, p) => services.handshakes.accept(caller.accountId, p.HandshakeId), [
    ...handshakeErrors,
    errors.specifiedDirectoryNotExists,
    errors.inviteeInAnotherDirectory,
    errors.accountQuotaExceeded,
  ]),
  DeclineHandshake: action({ HandshakeId: requiredString() }, async ({ caller, services }, p) => services.handshakes.decline(caller.accountId, p.HandshakeId), handshakeErrors),
  CancelHandshake: action({ HandshakeId: requiredString() }, async ({ caller, services }, p) => services.handshakes.cancel(caller.accountId, p.HandshakeId), handshakeErrors),
  GetHandshake: action({ HandshakeId: requiredString() }, async ({ caller, services }, p) => services.handshakes.get(caller.accountId, p.HandshakeId), handshakeErrors.slice(0, 3)),
  ListHandshakesForAccount: action({ ...paging }, async ({ caller, services }, p) => services.handshakes.listForAccount(caller.accountId, p)),
  ListHandshakesForResourceDirectory: action({ ...paging }, async ({ caller, services }, p) => services.handshakes.listForDirectory(caller.accountId, p), [
    errors.resourceDirectoryNotExists,
  ]),
  RemoveCloudAccount: action({ AccountId: requiredString() }, async ({ caller, services }, p) => services.handshakes.removeCloudAccount(caller.accountId, p.AccountId), [
    errors.resourceDirectoryNotExists,
    errors.invalidAccountId,
    errors.accountNotExists,
    errors.accountTypeOrStatusMismatch,
    () => errors.trustedServiceAdministrator('cloudfw.aliyuncs.com'),
    errors.accountPaysForOthers,
  ]),
};

/** ResourceManager 2020-03-31's invitation: no ParentFolderId (a 2022-04-19 addition). */
export const handshakeActions2020 = {
  ...handshakeActions,
  InviteAccountToResourceDirectory: without(handshakeActions.InviteAccountToResourceDirectory, ['ParentFolderId']),
};
