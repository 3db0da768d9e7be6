import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { optionalRaw, requiredRaw } from '../params.js';

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
      // Each is checked by its rule in src/domain/sts-rules.ts, so every wrong form, control
      // characters included, gets the parameter's own documented code and message.
      RoleArn: requiredRaw(() => errors.missingCommonParameter('RoleArn')),
      RoleSessionName: requiredRaw(() => errors.missingCommonParameter('RoleSessionName')),
      DurationSeconds: optionalRaw('integer (900 to RDMC_STS_MAX_SESSION_SECONDS, default 3600)'),
      Policy: optionalRaw('string (JSON policy document, at most 2,048 bytes)'),
      ExternalId: optionalRaw(),
      SourceIdentity: optionalRaw(),
    },
    async ({ caller, services }, p) => services.sts.assumeRole(caller.identity, caller.accessKeyId, p),
    [
      errors.stsRoleArn, errors.stsRoleSessionName, errors.stsDurationSeconds, errors.stsPolicySize, errors.stsPolicyGrammar,
      errors.stsExternalId, errors.stsSourceIdentity, errors.stsRootCaller, errors.stsNotTrusted, errors.stsRoleNotExists,
      () => errors.stsSessionLimit(1000),
    ],
  ),
};
