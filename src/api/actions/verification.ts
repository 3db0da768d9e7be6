import { action, type ActionDefinition } from '../action.js';
import { requiredString } from '../params.js';

/** The two Send…Verification… actions (docs/reference/api.md sections 4.11 and 4.12). */
export const verificationActions: Record<string, ActionDefinition> = {
  SendEmailVerificationForMessageContact: action(
    { ContactId: requiredString(), EmailAddress: requiredString() },
    async ({ caller, services }, p) => services.verification.sendEmail(caller.accountId, p),
  ),
  SendPhoneVerificationForMessageContact: action(
    { ContactId: requiredString(), PhoneNumber: requiredString() },
    async ({ caller, services }, p) => services.verification.sendPhone(caller.accountId, p),
  ),
};
