import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { optionalDocument, optionalString, requiredString } from '../params.js';

/**
 * STS 2015-04-01 (docs/reference/identity.md). GetCallerIdentity: who the signing key or
 * session is; Terraform's `data "alicloud_account"` and the provider's `AccountId()` ask it.
 * AssumeRole: temporary credentials for a member account's ResourceDirectoryAccountAccessRole,
 * which Terraform's `assume_role` block asks for when it configures a provider.
 */
export const stsActions = {
  GetCallerIdentity: action({}, async ({ caller }) => caller),
  AssumeRole: action(
    {
      RoleArn: requiredString(() => errors.missingCommonParameter('RoleArn')),
      RoleSessionName: requiredString(() => errors.missingCommonParameter('RoleSessionName')),
      // Digits checked by the rule, so that every wrong form gets DurationSeconds' own code.
      DurationSeconds: optionalString(),
      Policy: optionalDocument(),
      ExternalId: optionalString(),
      SourceIdentity: optionalString(),
    },
    async ({ caller, services }, p) => services.sts.assumeRole(caller.identity, caller.accessKeyId, p),
    [
      errors.stsRoleArn, errors.stsRoleSessionName, errors.stsDurationSeconds, errors.stsPolicySize, errors.stsPolicyGrammar,
      errors.stsExternalId, errors.stsSourceIdentity, errors.stsRootCaller, errors.stsNotTrusted, errors.stsRoleNotExists,
    ],
  ),
};
