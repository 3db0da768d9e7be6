import type { StoredStatus, TargetType } from '../domain/handshake-rules.js';
import type { MessageType, Title } from '../domain/contact-rules.js';
import type { MemberKind } from '../domain/ids.js';
import type { TagResourceType } from '../domain/tag-rules.js';

/** Rows as the services see them. Times are epoch milliseconds; formatting happens at the edge. */

export interface DirectoryRecord {
  id: string;
  masterAccountId: string;
  masterAccountName: string;
  rootFolderId: string;
  createTime: number;
}

export interface FolderRecord {
  id: string;
  directoryId: string;
  /** null for the Root folder. */
  parentId: string | null;
  name: string;
  /** 0 for the Root folder, 1 for its children... at most 5. */
  depth: number;
  createTime: number;
}

export type AccountType = 'CloudAccount' | 'ResourceAccount';

/** A directory-wide switch as the API spells it. */
export type Toggle = 'Enabled' | 'Disabled';

/** The directory's switches (control policy, member deletion, display-name sync); no row means all `Disabled`. */
export interface DirectorySettingsRecord {
  directoryId: string;
  controlPolicyStatus: Toggle;
  memberDeletionStatus: Toggle;
  memberDisplayNameSyncStatus: Toggle;
}

export type { TagResourceType } from '../domain/tag-rules.js';

/** One tag on one folder or member account. */
export interface TagRecord {
  directoryId: string;
  resourceType: TagResourceType;
  resourceId: string;
  key: string;
  value: string;
}

/** A tag condition: the key, and the value it must have (null: any value). */
export interface TagFilter {
  key: string;
  value: string | null;
}

/**
 * What rdmc remembers of a member's deletion: the pre-check (CheckAccountDelete) and the
 * deletion itself. The row outlives the account, so GetAccountDeletionStatus can still answer.
 */
export interface AccountDeletionRecord {
  accountId: string;
  directoryId: string;
  checkedAt: number | null;
  deletedAt: number | null;
}

export interface AccountRecord {
  id: string;
  directoryId: string | null;
  folderId: string | null;
  accountName: string;
  displayName: string;
  type: AccountType;
  joinMethod: 'invited' | 'created';
  joinTime: number;
  modifyTime: number;
}

export interface ContactRecord {
  id: string;
  directoryId: string;
  name: string;
  title: Title;
  messageTypes: MessageType[];
  /** Verified addresses: the only ones deliveries use. */
  emailEffective: string | null;
  phoneEffective: string | null;
  /** Requested, not yet verified addresses. */
  emailPending: string | null;
  phonePending: string | null;
  /** True while an asynchronous deletion runs. */
  deleting: boolean;
  createTime: number;
}

export interface BindingRecord {
  contactId: string;
  memberId: string;
  memberKind: MemberKind;
  boundAt: number;
}

export interface FailReason {
  AccountId: string;
  MessageTypes: MessageType[];
}

export interface DeletionRecord {
  contactId: string;
  status: 'Deleting' | 'Failed';
  failReasons: FailReason[];
  startedAt: number;
}

export interface JobRecord {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** The contact the job works on, so mutations can see that one is pending. */
  contactId: string | null;
  runAt: number;
  /** Held jobs (async mode `manual`) wait for an explicit release. */
  held: boolean;
  attempts: number;
  lockedBy: string | null;
  lockedAt: number | null;
  lastError: string | null;
  state: 'pending' | 'failed';
  createdAt: number;
  /** Whose work it is: the directory it works on ('' for none); lanes take turns. */
  lane: string;
  /** When it last failed for good (kept through a retry: its history); null if it never did. */
  failedAt: number | null;
  /** How many times an operator retried it after it failed for good. */
  redrives: number;
  /** Attempts spent before the last retry, which gave it a fresh budget (`attempts` counts since). */
  priorAttempts: number;
  /** A delivery job's outbox message. */
  outboxId: string | null;
}

export interface Page {
  offset: number;
  limit: number;
}

/** What a retained copy keeps of a deleted RD contact, since the contact itself is gone. */
export interface RetainedSnapshot {
  name: string;
  email: string;
  phone: string;
  messageTypes: MessageType[];
}

/**
 * One contact in one account's message center: inherited through bindings (`via` names
 * the binding targets that reach the account) or retained after its RD contact was deleted.
 */
export interface MessageCenterEntry {
  accountId: string;
  contactId: string;
  source: 'Inherited' | 'Retained';
  via: string[];
  retained: RetainedSnapshot | null;
}

/** Which entry: one contact in one account's message center. */
export type MessageCenterKey = Pick<MessageCenterEntry, 'accountId' | 'contactId'>;

export type Channel = 'email' | 'sms';

/**
 * A verification link's token, kept here only as its SHA-256. The message that carried the
 * link stays readable in the outbox (that is what the outbox is for); an operator who must
 * not keep live links at rest sets a short RDMC_VERIFICATION_TTL_MS.
 */
export interface VerificationTokenRecord {
  tokenHash: string;
  directoryId: string;
  contactId: string;
  channel: Channel;
  target: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** An STS role session (src/services/sts.ts): temporary credentials acting as a role of `accountId`. */
export interface StsSessionRecord {
  /** `STS.` and random characters: the temporary AccessKeyId. */
  accessKeyId: string;
  accessKeySecret: string;
  /** SHA-256 (hex) of the security token. */
  tokenHash: string;
  /** The role's account, which the session acts as. */
  accountId: string;
  roleName: string;
  sessionName: string;
  /** The account the role trusts, whose RAM user assumed it: the directory's management account. */
  trustorAccountId: string;
  /** The key that called AssumeRole. */
  sourceAccessKeyId: string;
  /** The session policy given to AssumeRole, as given. */
  policy: string | null;
  sourceIdentity: string | null;
  createdAt: number;
  expiresAt: number;
}

/** A session as a request signed with it finds it: `trusted` is false once its account left the trustor's directory. */
export interface StsSessionLookup extends StsSessionRecord {
  trusted: boolean;
  /** The directory the role's account is in now (null once it is in none): where its session policy's resource lies. */
  directoryId: string | null;
}

/** A session of the console's login: the SHA-256 of its secret (the cookie's value), never the secret. */
export interface ConsoleSessionRecord {
  secretHash: string;
  createdAt: number;
  lastSeenAt: number;
}

/**
 * One message to one address: a verification or a routed message. Every message is kept
 * here (the outbox); `delivery` says what its channel made of it.
 */
export interface OutboxRecord {
  id: string;
  /** Groups the deliveries of one routed message; a verification's own ID otherwise. */
  messageId: string;
  channel: Channel;
  to: string;
  subject: string;
  body: string;
  link: string | null;
  contactId: string | null;
  accountId: string | null;
  createdAt: number;
  /** `recorded`: no channel is configured, the outbox is where it lives. */
  delivery: 'pending' | 'sent' | 'failed' | 'recorded';
  attempts: number;
  lastError: string | null;
  deliveredAt: number | null;
}

/** A custom control policy of a directory (the system policy is not stored: src/domain/control-policy-rules.ts). */
export interface ControlPolicyRecord {
  id: string;
  directoryId: string;
  name: string;
  description: string;
  effectScope: 'RAM' | 'All';
  document: string;
  createTime: number;
  updateTime: number;
}

/** What a control policy can be attached to: the Root folder, another folder, a member. */
export type ControlPolicyTargetType = 'Root' | 'Folder' | 'Account';

/** One control policy (custom or the system one) attached to one target. */
export interface ControlPolicyAttachmentRecord {
  directoryId: string;
  targetId: string;
  policyId: string;
  targetType: ControlPolicyTargetType;
  attachTime: number;
}

/** A member registered as the delegated administrator of one trusted service (src/services/delegations.ts). */
export interface DelegationRecord {
  directoryId: string;
  servicePrincipal: string;
  accountId: string;
  enabledAt: number;
}

/** A delegation with the member's fields ListDelegatedAdministrators shows. */
export interface DelegatedAdministrator extends DelegationRecord {
  displayName: string;
  joinMethod: AccountRecord['joinMethod'];
}

/** A trusted service counted as enabled in a directory, since its first delegation still in place. */
export interface EnabledService {
  servicePrincipal: string;
  enabledAt: number;
}

/** An invitation of an account to a directory (src/services/handshakes.ts). */
export interface HandshakeRecord {
  id: string;
  directoryId: string;
  masterAccountId: string;
  masterAccountName: string;
  targetType: TargetType;
  /** The target as the inviter gave it (an account ID or a logon e-mail). */
  targetEntity: string;
  /** The account the target names. */
  targetAccountId: string;
  note: string;
  /** Where the account goes on acceptance (null: the Root). */
  parentFolderId: string | null;
  /** Tags the account gets on acceptance. */
  tags: Array<{ key: string; value: string }>;
  status: StoredStatus;
  createTime: number;
  modifyTime: number;
  expireTime: number;
  /** When the invitation stopped mattering, which retention counts from; null while an accepted member stays. */
  endedAt: number | null;
}
