import { errors } from '../../domain/errors.js';
import { action } from '../action.js';
import { optionalInteger, optionalString, paging, requiredString } from '../params.js';

/** Delegated administrators and trusted services (docs/compatibility.md, "Delegated administrators"). */
export const delegationActions = {
  RegisterDelegatedAdministrator: action({ AccountId: requiredString(), ServicePrincipal: requiredString() }, async ({ caller, services }, p) =>
    services.delegations.register(caller.accountId, p), [errors.invalidServicePrincipal, errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists, errors.cannotRegisterMaster, errors.accountAlreadyRegistered, errors.delegatedAccountNumberExceeded]
  ),
  DeregisterDelegatedAdministrator: action({ AccountId: requiredString(), ServicePrincipal: requiredString() }, async ({ caller, services }, p) =>
    services.delegations.deregister(caller.accountId, p), [errors.invalidAccountId, errors.resourceDirectoryNotExists, errors.invalidServicePrincipal, errors.accountNotRegistered]
  ),
  ListDelegatedAdministrators: action({ ServicePrincipal: optionalString(), ...paging }, async ({ caller, services }, p) =>
    services.delegations.list(caller.accountId, p), [errors.resourceDirectoryNotExists]
  ),
  ListDelegatedServicesForAccount: action(
    { AccountId: requiredString(), MaxResults: optionalInteger({ min: 1, max: 100 }), NextToken: optionalString() },
    async ({ caller, services }, p) => services.delegations.servicesOf(caller.accountId, p), [() => errors.invalidParameter('NextToken'), errors.resourceDirectoryNotExists, errors.invalidAccountId, errors.accountNotExists]
  ),
  ListTrustedServiceStatus: action({ AdminAccountId: optionalString(), ...paging }, async ({ caller, services }, p) =>
    services.delegations.trustedServices(caller.accountId, p), [errors.resourceDirectoryNotExists]
  ),
};
