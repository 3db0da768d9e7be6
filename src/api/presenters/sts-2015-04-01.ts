import { arnOf, principalIdOf, ramUserId, roleId } from '../../domain/identity.js';
import type { AssumedRole } from '../../services/sts.js';
import type { Caller, Presenter } from '../action.js';
import type { stsActions } from '../actions/sts.js';
import { object, optional, secondsTimeOf, text, type Answer } from './answer.js';

const credentials: Answer<AssumedRole> = {
  AccessKeyId: text((r: AssumedRole) => r.accessKeyId),
  AccessKeySecret: text((r: AssumedRole) => r.accessKeySecret),
  SecurityToken: text((r: AssumedRole) => r.securityToken),
  Expiration: secondsTimeOf((r: AssumedRole) => r.expiresAt),
};

const assumedRoleUser: Answer<AssumedRole> = {
  Arn: text((r: AssumedRole) => arnOf(r.identity)),
  AssumedRoleId: text((r: AssumedRole) => principalIdOf(r.identity)),
};

/** STS 2015-04-01: who the caller is, by identity type, and the credentials of a role session. */
export const sts20150401: Presenter<typeof stsActions> = {
  GetCallerIdentity: {
    AccountId: text((c: Caller) => c.identity.accountId),
    Arn: text((c: Caller) => arnOf(c.identity)),
    IdentityType: text((c: Caller) => c.identity.type),
    PrincipalId: text((c: Caller) => principalIdOf(c.identity)),
    // RoleId for a session, UserId for the others (the account's own ID for a root key).
    RoleId: optional(text((c: Caller) => (c.identity.type === 'AssumedRoleUser' ? roleId(c.identity.accountId, c.identity.roleName) : undefined))),
    UserId: optional(
      text((c: Caller) =>
        c.identity.type === 'Account' ? c.identity.accountId : c.identity.type === 'RAMUser' ? ramUserId(c.identity.accountId, c.identity.userName) : undefined,
      ),
    ),
  },
  AssumeRole: {
    AssumedRoleUser: object(assumedRoleUser, (r: AssumedRole) => r),
    Credentials: object(credentials, (r: AssumedRole) => r),
    SourceIdentity: optional(text((r: AssumedRole) => r.sourceIdentity)),
  },
};
