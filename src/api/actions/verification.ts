import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { requiredString } from '../params.js';

/** The two Send…Verification… actions (docs/reference/api-notes.md sections 4.11 and 4.12). */
export const verificationActions = {
  SendEmailVerificationForMessageContact: action(
    { ContactId: requiredString(), EmailAddress: requiredString() },
    async ({ caller, services }, p) => services.verification.sendEmail(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists, errors.verificationNotExists, errors.sendLimit]
  ),
  SendPhoneVerificationForMessageContact: action(
    { ContactId: requiredString(), PhoneNumber: requiredString() },
    async ({ caller, services }, p) => services.verification.sendPhone(caller.accountId, p), [errors.resourceDirectoryNotExists, errors.contactNotExists, errors.verificationNotExists, errors.sendLimit]
  ),
};
