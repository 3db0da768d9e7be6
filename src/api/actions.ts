import { presentedBy, type ActionDefinition } from './action.js';
import { contactActions } from './actions/contacts.js';
import { controlPolicyActions } from './actions/control-policies.js';
import { delegationActions } from './actions/delegations.js';
import { additions2022, directorySettingsActions, memberAccountActions, tagActions } from './actions/directory-admin.js';
import { directoryActions } from './actions/directory.js';
import { handshakeActions, handshakeActions2020 } from './actions/handshakes.js';
import { resourceManagerActions } from './actions/resource-manager.js';
import { stsActions } from './actions/sts.js';
import { verificationActions } from './actions/verification.js';
import { resourceDirectoryMaster20220419 } from './presenters/resource-directory-master-2022-04-19.js';
import { resourceManager20200331 } from './presenters/resource-manager-2020-03-31.js';
import { sts20150401 } from './presenters/sts-2015-04-01.js';
import { handshakeAnswers } from './presenters/handshakes.js';
import { PRODUCT_OF_VERSION, RESOURCE_DIRECTORY_MASTER_VERSION, RESOURCE_MANAGER_VERSION, STS_VERSION } from '../domain/api-versions.js';

export interface ApiVersion {
  /** The product code of this version, as error `Recommend` links name it. */
  product: string;
  actions: Readonly<Record<string, ActionDefinition>>;
}

/**
 * Every API version rdmc serves, by its `Version` string: ResourceDirectoryMaster 2022-04-19
 * (message contacts and the directory), ResourceManager 2020-03-31 (the directory, as the
 * Terraform provider calls it) and STS 2015-04-01 (GetCallerIdentity and AssumeRole). The first two act
 * on the same directories; an action present in both has one operation, and each version's
 * presenter (src/api/presenters/) renders its own answer from the operation's domain value.
 */
export const API_VERSIONS: Readonly<Record<string, ApiVersion>> = {
  [RESOURCE_DIRECTORY_MASTER_VERSION]: {
    product: PRODUCT_OF_VERSION[RESOURCE_DIRECTORY_MASTER_VERSION]!,
    actions: {
      ...presentedBy(
        {
          ...directoryActions,
          ...directorySettingsActions,
          ...memberAccountActions,
          ...tagActions,
          ...additions2022,
          ...contactActions,
          ...verificationActions,
          ...controlPolicyActions,
          ...delegationActions,
        },
        resourceDirectoryMaster20220419,
      ),
      // Invitations answer alike in both versions (src/api/presenters/handshakes.ts).
      ...presentedBy(handshakeActions, handshakeAnswers),
    },
  },
  [RESOURCE_MANAGER_VERSION]: {
    product: PRODUCT_OF_VERSION[RESOURCE_MANAGER_VERSION]!,
    actions: { ...presentedBy(resourceManagerActions, resourceManager20200331), ...presentedBy(handshakeActions2020, handshakeAnswers) },
  },
  [STS_VERSION]: { product: PRODUCT_OF_VERSION[STS_VERSION]!, actions: presentedBy(stsActions, sts20150401) },
};

export const isApiVersion = (version: string) => Object.hasOwn(API_VERSIONS, version);

/** The action a version serves under `name`; undefined when it serves none. */
export const findAction = (version: string, name: string): ActionDefinition | undefined =>
  Object.hasOwn(API_VERSIONS, version) && Object.hasOwn(API_VERSIONS[version]!.actions, name) ? API_VERSIONS[version]!.actions[name] : undefined;

/**
 * Whether an action changes state, so that it is recorded in the audit trail (src/audit/):
 * the one place that says so. Every action named Get… or List… only reads; every other one
 * (CheckAccountDelete starts a check whose result is kept) writes.
 */
export const changesState = (action: string): boolean => !/^(Get|List)[A-Z]/.test(action);
