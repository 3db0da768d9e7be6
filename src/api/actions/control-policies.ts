import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { optionalRaw, optionalString, paging, presentOrEmpty, requiredRaw, requiredString, tagList } from '../params.js';

const policyNotFound = [errors.resourceDirectoryNotExists, errors.controlPolicyNotExists];
const documentErrors = (name: 'PolicyDocument' | 'NewPolicyDocument') => () => errors.controlPolicyDocument(name, 'the document is not JSON');

/**
 * Control policies (docs/reference/control-policies.md; docs/compatibility.md, "Control
 * policies"). Documents are read raw: their own rule refuses what they cannot hold, and JSON may
 * carry tab, CR and LF as whitespace. Tag.N exists at 2022-04-19 only (src/api/actions/resource-manager.ts).
 */
export const controlPolicyActions = {
  GetControlPolicyEnablementStatus: action({}, async ({ caller, services }) => services.directorySettings.controlPolicyStatus(caller.accountId), [errors.resourceDirectoryNotExists]),
  CreateControlPolicy: action(
    {
      PolicyName: requiredString(),
      PolicyDocument: requiredRaw(() => errors.missingParameter('PolicyDocument')),
      EffectScope: requiredString(),
      Description: optionalString(),
      Tag: tagList(),
    },
    async ({ caller, services }, p) => services.controlPolicies.create(caller.accountId, p),
    [errors.resourceDirectoryNotExists, () => errors.invalidParameter('PolicyName'), () => errors.invalidParameter('Description'), () => errors.invalidParameter('EffectScope'), errors.controlPolicyDocumentLength, documentErrors('PolicyDocument'), errors.controlPolicyQuotaExceeded, errors.controlPolicyNameAlreadyUsed, errors.tagLimit],
  ),
  GetControlPolicy: action({ PolicyId: requiredString(), Language: optionalString() }, async ({ caller, services }, p) => services.controlPolicies.get(caller.accountId, p), [...policyNotFound, () => errors.invalidParameter('Language')]),
  UpdateControlPolicy: action(
    { PolicyId: requiredString(), NewPolicyName: optionalString(), NewDescription: presentOrEmpty(), NewPolicyDocument: optionalRaw() },
    async ({ caller, services }, p) => services.controlPolicies.update(caller.accountId, p),
    [...policyNotFound, () => errors.invalidParameter('NewPolicyName'), () => errors.invalidParameter('NewDescription'), errors.newControlPolicyDocumentLength, documentErrors('NewPolicyDocument'), errors.systemControlPolicy, errors.controlPolicyNameAlreadyUsed],
  ),
  DeleteControlPolicy: action({ PolicyId: requiredString() }, async ({ caller, services }, p) => services.controlPolicies.delete(caller.accountId, p.PolicyId), [...policyNotFound, errors.systemControlPolicy, errors.controlPolicyAttached]),
  ListControlPolicies: action(
    { PolicyType: optionalString(), Language: optionalString(), Tag: tagList(), ...paging },
    async ({ caller, services }, p) => services.controlPolicies.list(caller.accountId, p),
    [errors.resourceDirectoryNotExists, () => errors.invalidParameter('PolicyType'), () => errors.invalidParameter('Language'), errors.tagLimit],
  ),
  AttachControlPolicy: action({ PolicyId: requiredString(), TargetId: requiredString() }, async ({ caller, services }, p) => services.controlPolicies.attach(caller.accountId, p), [
    ...policyNotFound,
    errors.targetNotExists,
    errors.controlPolicyEnablement,
    errors.controlPolicyAlreadyAttached,
    errors.controlPolicyAttachmentLimit,
  ]),
  DetachControlPolicy: action({ PolicyId: requiredString(), TargetId: requiredString() }, async ({ caller, services }, p) => services.controlPolicies.detach(caller.accountId, p), [
    ...policyNotFound,
    errors.targetNotExists,
    errors.controlPolicyNotAttached,
    errors.detachLastControlPolicy,
  ]),
  ListControlPolicyAttachmentsForTarget: action({ TargetId: requiredString(), Language: optionalString() }, async ({ caller, services }, p) => services.controlPolicies.forTarget(caller.accountId, p), [
    errors.resourceDirectoryNotExists,
    errors.targetNotExists,
    () => errors.invalidParameter('Language'),
  ]),
  ListTargetAttachmentsForControlPolicy: action({ PolicyId: requiredString(), ...paging }, async ({ caller, services }, p) => services.controlPolicies.targets(caller.accountId, p), policyNotFound),
};
