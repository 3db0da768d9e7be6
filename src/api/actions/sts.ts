import { action } from '../action.js';

/**
 * STS 2015-04-01 GetCallerIdentity: who the signing key belongs to. Terraform's
 * `data "alicloud_account"` (which the provider's own account tests use) asks it; answering it
 * lets those configurations run against rdmc with `endpoints { sts = ... }` (docs/compatibility.md, "Terraform").
 */
export const stsActions = {
  GetCallerIdentity: action({}, async ({ caller }) => caller),
};
