import type { DelegatedAdministratorPage, DelegatedServicePage, TrustedServicePage } from '../../services/delegations.js';
import type { DelegatedAdministrator, DelegationRecord, EnabledService } from '../../storage/records.js';
import type { Presenter } from '../action.js';
import type { delegationActions } from '../actions/delegations.js';
import { directoryTimeOf, integer, nothing, object, objects, optional, text, type Answer } from './answer.js';
import { pageField } from './shared.js';

/** Delegation times are epoch milliseconds as a string (`"1616652684164"`), as Alibaba's answers show them. */
const delegationTime = <T extends { enabledAt: number }>(): Answer<T>[string] => ({
  ...text((v: T) => String(v.enabledAt)),
  note: 'epoch milliseconds, as a string',
});

const administrator: Answer<DelegatedAdministrator> = {
  AccountId: text((a: DelegatedAdministrator) => a.accountId),
  DisplayName: text((a: DelegatedAdministrator) => a.displayName),
  JoinMethod: text((a: DelegatedAdministrator) => a.joinMethod),
  ServicePrincipal: text((a: DelegatedAdministrator) => a.servicePrincipal),
  DelegationEnabledTime: delegationTime<DelegatedAdministrator>(),
};

const delegatedService: Answer<DelegationRecord> = {
  DelegationEnabledTime: delegationTime<DelegationRecord>(),
  ServicePrincipal: text((d: DelegationRecord) => d.servicePrincipal),
  // A service with a delegated administrator counts as enabled (src/services/delegations.ts).
  Status: text(() => 'ENABLED'),
};

const enabledService: Answer<EnabledService> = {
  ServicePrincipal: text((s: EnabledService) => s.servicePrincipal),
  EnableTime: directoryTimeOf((s: EnabledService) => s.enabledAt),
};

/** Both versions answer the delegation actions alike (2020-03-31 takes no MaxResults, so never shows it). */
export const delegationAnswers: Presenter<typeof delegationActions> = {
  RegisterDelegatedAdministrator: nothing,
  DeregisterDelegatedAdministrator: nothing,
  ListDelegatedAdministrators: {
    TotalCount: pageField.TotalCount,
    PageNumber: pageField.PageNumber,
    PageSize: pageField.PageSize,
    Accounts: object({ Account: objects(administrator, (p: DelegatedAdministratorPage) => p.administrators) }, (p: DelegatedAdministratorPage) => p),
  },
  ListDelegatedServicesForAccount: {
    DelegatedServices: object({ DelegatedService: objects(delegatedService, (p: DelegatedServicePage) => p.services) }, (p: DelegatedServicePage) => p),
    MaxResults: optional(integer((p: DelegatedServicePage) => p.maxResults)),
    NextToken: optional(text((p: DelegatedServicePage) => p.nextToken)),
  },
  ListTrustedServiceStatus: {
    TotalCount: pageField.TotalCount,
    PageNumber: pageField.PageNumber,
    PageSize: pageField.PageSize,
    EnabledServicePrincipals: object(
      { EnabledServicePrincipal: objects(enabledService, (p: TrustedServicePage) => p.services) },
      (p: TrustedServicePage) => p,
    ),
  },
};
