import { createHash } from 'node:crypto';

/**
 * Who signed a request (docs/reference/identity.md): an account's own (root) key, a key of a
 * RAM user of that account, or the temporary credentials of a role session (STS AssumeRole).
 * Every one of them acts as `accountId`; what differs is what GetCallerIdentity answers, what
 * AssumeRole allows, and what the audit trail records.
 */
export type Identity = RootIdentity | RamUserIdentity | RoleSessionIdentity;

export interface RootIdentity {
  type: 'Account';
  accountId: string;
}

export interface RamUserIdentity {
  type: 'RAMUser';
  accountId: string;
  userName: string;
}

export interface RoleSessionIdentity {
  type: 'AssumedRoleUser';
  /** The account the role belongs to, which the session acts as. */
  accountId: string;
  roleName: string;
  sessionName: string;
  /** The session policy AssumeRole was given, which narrows what the session may do; null when none was. */
  policy: SessionPolicy | null;
}

/**
 * A session policy as enforcement needs it (docs/reference/identity.md, section 6):
 * the document, and the directory the session's account is in, the resource of every action
 * but AssumeRole. Both come with the session's row when a request authenticates.
 */
export interface SessionPolicy {
  document: string;
  /** `acs:resourcemanager::<management account>:rd/<directory ID>`. */
  directoryArn: string;
}

export const roleSession = (accountId: string, roleName: string, sessionName: string, policy: SessionPolicy | null = null): RoleSessionIdentity => ({
  type: 'AssumedRoleUser',
  accountId,
  roleName,
  sessionName,
  policy,
});

/** The ARN of a directory, the resource of Resource Directory's actions in policies (docs/reference/guardrails.md). */
export const directoryArn = (managementAccountId: string, directoryId: string) => `acs:resourcemanager::${managementAccountId}:rd/${directoryId}`;

/** The one role rdmc knows: every member account has it, and it trusts its directory's management account. */
export const MEMBER_ACCESS_ROLE = 'ResourceDirectoryAccountAccessRole';

/** RAM user names: 1 to 64 letters, digits, `.`, `_` and `-` (the RAM console's rule). */
export const RAM_USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A stable number of `length` digits (first digit `first`) for `seed`: every node derives the
 * same RAM user ID or role ID without storing one, and an export or a restart keeps it.
 */
function stableDigits(seed: string, first: string, length: number): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return first + BigInt(`0x${hex.slice(0, 24)}`).toString().padStart(length, '0').slice(-(length - 1));
}

/** A RAM user's numeric ID (16 digits, as Alibaba's are). */
export const ramUserId = (accountId: string, userName: string) => stableDigits(`user:${accountId}:${userName}`, '2', 16);

/** A role's numeric ID (18 digits, as Alibaba's are; `AssumedRoleId` is `<RoleId>:<session>`). */
export const roleId = (accountId: string, roleName: string) => stableDigits(`role:${accountId}:${roleName.toLowerCase()}`, '3', 18);

export const roleArn = (accountId: string, roleName: string) => `acs:ram::${accountId}:role/${roleName}`;

/** The ARN of an identity, in the form Alibaba's AssumeRole documentation gives for a session. */
export function arnOf(identity: Identity): string {
  switch (identity.type) {
    case 'Account':
      return `acs:ram::${identity.accountId}:root`;
    case 'RAMUser':
      return `acs:ram::${identity.accountId}:user/${identity.userName}`;
    case 'AssumedRoleUser':
      return `${roleArn(identity.accountId, identity.roleName)}/${identity.sessionName}`;
  }
}

/** GetCallerIdentity's `PrincipalId`: the account, the user's ID, or `<RoleId>:<session>`. */
export function principalIdOf(identity: Identity): string {
  switch (identity.type) {
    case 'Account':
      return identity.accountId;
    case 'RAMUser':
      return ramUserId(identity.accountId, identity.userName);
    case 'AssumedRoleUser':
      return `${roleId(identity.accountId, identity.roleName)}:${identity.sessionName}`;
  }
}

/**
 * A configured key as state files and the console show it (docs/reference/identity.md): who
 * it is, never its secret. Identities come from configuration (RDMC_ACCESS_KEYS), so an
 * import reads none of it.
 */
export interface ConfiguredIdentity {
  AccessKeyId: string;
  AccountId: string;
  IdentityType: 'Account' | 'RAMUser';
  /** Only for a RAM user's key. */
  UserName?: string;
  Arn: string;
}

export const configuredIdentity = (accessKeyId: string, identity: RootIdentity | RamUserIdentity): ConfiguredIdentity => ({
  AccessKeyId: accessKeyId,
  AccountId: identity.accountId,
  IdentityType: identity.type,
  ...(identity.type === 'RAMUser' && { UserName: identity.userName }),
  Arn: arnOf(identity),
});
