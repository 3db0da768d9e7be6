import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { boolean, list, optionalString, paging, requiredString } from '../params.js';

/** Message-contact actions (docs/reference/api-notes.md section 4). ContactId is required wherever the service documents MissingParameter.ContactId. */
export const contactActions = {
  AddMessageContact: action(
    {
      Name: requiredString(),
      EmailAddress: requiredString(),
      PhoneNumber: optionalString(),
      Title: requiredString(),
      MessageTypes: list(),
    },
    async ({ caller, services }, p) => services.contacts.add(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.nameAlreadyUsed, errors.contactQuotaExceeded]
  ),
  UpdateMessageContact: action(
    {
      ContactId: requiredString(),
      Name: optionalString(),
      EmailAddress: optionalString(),
      PhoneNumber: optionalString(),
      Title: optionalString(),
      MessageTypes: list(),
    },
    async ({ caller, services }, p) => services.contacts.update(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists, errors.contactStatusMismatch, errors.concurrentCall, errors.nameAlreadyUsed]
  ),
  CancelMessageContactUpdate: action(
    { ContactId: requiredString(), EmailAddress: optionalString(), PhoneNumber: optionalString() },
    async ({ caller, services }, p) => services.contacts.cancelUpdate(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists, errors.contactStatusMismatch, errors.concurrentCall]
  ),
  GetMessageContact: action({ ContactId: requiredString() }, async ({ caller, services }, p) => services.contacts.get(caller.accountId, p.ContactId), [errors.resourceDirectoryNotExists, errors.contactNotExists]),
  ListMessageContacts: action(
    { ContactId: optionalString(), Member: optionalString(), ...paging },
    async ({ caller, services }, p) => services.contacts.list(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists, () => errors.invalidParameter('Member'), errors.memberNotExists]
  ),
  ListMessageContactVerifications: action(
    { ContactId: optionalString(), ...paging },
    async ({ caller, services }, p) => services.contacts.listVerifications(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists]
  ),
  AssociateMembers: action({ ContactId: requiredString(), Members: list() }, async ({ caller, services }, p) =>
    services.contacts.associate(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.invalidParameter('Members'), errors.membersDuplicate, errors.contactNotExists, errors.contactStatusMismatch, errors.concurrentCall, errors.invalidMember, errors.contactMembersLimit]
  ),
  DisassociateMembers: action({ ContactId: requiredString(), Members: list() }, async ({ caller, services }, p) =>
    services.contacts.disassociate(caller.accountId, p), [errors.resourceDirectoryNotExists, () => errors.invalidParameter('Members'), errors.membersLength, errors.membersDuplicate, errors.contactNotExists, errors.contactStatusMismatch, errors.concurrentCall, errors.invalidMember]
  ),
  DeleteMessageContact: action(
    { ContactId: requiredString(), RetainContactInMembers: boolean(true) },
    async ({ caller, services }, p) => services.contacts.delete(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists, errors.concurrentCall]
  ),
  GetMessageContactDeletionStatus: action({ ContactId: requiredString() }, async ({ caller, services }, p) =>
    services.contacts.deletionStatus(caller.accountId, p.ContactId), [errors.resourceDirectoryNotExists, errors.contactNotExists]
  ),
};
