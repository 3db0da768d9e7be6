import type { Caller } from '../action.js';
import type { Presenter } from '../action.js';
import type { stsActions } from '../actions/sts.js';
import { fixed, text } from './answer.js';

/** STS 2015-04-01: GetCallerIdentity answers who the signing key belongs to, as its account's root identity. */
export const sts20150401: Presenter<typeof stsActions> = {
  GetCallerIdentity: {
    AccountId: text((c: Caller) => c.accountId),
    Arn: text((c: Caller) => `acs:ram::${c.accountId}:root`),
    IdentityType: fixed('string', 'Account'),
    PrincipalId: text((c: Caller) => c.accountId),
    UserId: text((c: Caller) => c.accountId),
  },
};
