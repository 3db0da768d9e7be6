import { action, type ActionDefinition } from '../action.js';
import { boolean, list, optionalString, paging, requiredString } from '../params.js';

/** Message-contact actions (docs/reference/api.md section 4). ContactId is required wherever the service documents MissingParameter.ContactId. */
export const contactActions: Record<string, ActionDefinition> = {
  AddMessageContact: action(
    {
      Name: requiredString(),
      EmailAddress: requiredString(),
      PhoneNumber: optionalString(),
      Title: requiredString(),
      MessageTypes: list(),
    },
    async ({ caller, services }, p) => ({ Contact: await services.contacts.add(caller.accountId, p) }),
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
    async ({ caller, services }, p) => services.contacts.update(caller.accountId, p),
  ),
  CancelMessageContactUpdate: action(
    { ContactId: requiredString(), EmailAddress: optionalString(), PhoneNumber: optionalString() },
    async ({ caller, services }, p) => services.contacts.cancelUpdate(caller.accountId, p),
  ),
  GetMessageContact: action({ ContactId: requiredString() }, async ({ caller, services }, p) => ({
    Contact: await services.contacts.get(caller.accountId, p.ContactId),
  })),
  ListMessageContacts: action(
    { ContactId: optionalString(), Member: optionalString(), ...paging },
    async ({ caller, services }, p) => services.contacts.list(caller.accountId, p),
  ),
  ListMessageContactVerifications: action(
    { ContactId: optionalString(), ...paging },
    async ({ caller, services }, p) => services.contacts.listVerifications(caller.accountId, p),
  ),
  AssociateMembers: action({ ContactId: requiredString(), Members: list() }, async ({ caller, services }, p) =>
    services.contacts.associate(caller.accountId, p),
  ),
  DisassociateMembers: action({ ContactId: requiredString(), Members: list() }, async ({ caller, services }, p) =>
    services.contacts.disassociate(caller.accountId, p),
  ),
  DeleteMessageContact: action(
    { ContactId: requiredString(), RetainContactInMembers: boolean(true) },
    async ({ caller, services }, p) => services.contacts.delete(caller.accountId, p),
  ),
  GetMessageContactDeletionStatus: action({ ContactId: requiredString() }, async ({ caller, services }, p) => ({
    ContactDeletionStatus: await services.contacts.deletionStatus(caller.accountId, p.ContactId),
  })),
};
