import { errors } from '../domain/errors.js';
import { directoryArn, MEMBER_ACCESS_ROLE, roleSession, type Identity, type RoleSessionIdentity } from '../domain/identity.js';
import {
  checkExternalId,
  checkSessionName,
  checkSessionPolicy,
  checkSourceIdentity,
  parseRoleArn,
  sessionSeconds,
} from '../domain/sts-rules.js';
import { hashToken, newSessionSecrets, type TemporaryKey } from '../domain/temporary-keys.js';
import { locks } from '../storage/locks.js';
import type { ServiceDeps } from './deps.js';

export interface StsOptions {
  /** The longest session a role allows (RDMC_STS_MAX_SESSION_SECONDS): its MaxSessionDuration. */
  maxSessionSeconds: number;
  /** Live sessions one trusted account may hold (RDMC_STS_MAX_LIVE_SESSIONS): the bound on the table. */
  maxLiveSessions: number;
  /** Whether an account's root key may assume roles (RDMC_STS_ALLOW_ROOT); Alibaba refuses it. */
  rootMayAssume: boolean;
}

export interface AssumeRoleParams {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds: string | undefined;
  Policy: string | undefined;
  ExternalId: string | undefined;
  SourceIdentity: string | undefined;
}

/** What AssumeRole hands out; the presenter renders it (src/api/presenters/sts-2015-04-01.ts). */
export interface AssumedRole {
  identity: RoleSessionIdentity;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiresAt: number;
  sourceIdentity: string | undefined;
}

/**
 * STS: role sessions (docs/reference/identity.md). The one role rdmc knows is
 * ResourceDirectoryAccountAccessRole, which every member account of a directory has and which
 * trusts the directory's management account; a RAM user of that account may assume it, its
 * root key may not (unless RDMC_STS_ALLOW_ROOT), as Alibaba's STS refuses root callers.
 */
export class StsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: StsOptions,
  ) {}

  async assumeRole(caller: Identity, callerKeyId: string, p: AssumeRoleParams): Promise<AssumedRole> {
    const target = parseRoleArn(p.RoleArn);
    checkSessionName(p.RoleSessionName);
    const seconds = sessionSeconds(p.DurationSeconds, this.options.maxSessionSeconds);
    if (p.Policy !== undefined) checkSessionPolicy(p.Policy);
    if (p.ExternalId !== undefined) checkExternalId(p.ExternalId);
    if (p.SourceIdentity !== undefined) checkSourceIdentity(p.SourceIdentity);
    if (caller.type === 'Account' && !this.options.rootMayAssume) throw errors.stsRootCaller();

    const now = this.deps.clock.now();
    const role = roleSession(target.accountId, MEMBER_ACCESS_ROLE, p.RoleSessionName);
    const issued = { accessKeyId: this.deps.ids.temporaryAccessKeyId(), ...newSessionSecrets(), expiresAt: now + seconds * 1000 };
    await this.deps.store.transaction(locks.stsSessions, async (tx) => {
      // Trust first: an account outside the caller's directory answers as not trusted whatever
      // it holds, so nobody learns from AssumeRole which accounts another directory has.
      const directory = await tx.directories.byMasterAccount(caller.accountId);
      const account = directory && (await tx.accounts.byId(target.accountId));
      if (!directory || !account || account.directoryId !== directory.id) throw errors.stsNotTrusted();
      // The management account has no access role of its own; role names are not case-sensitive in RAM.
      if (account.id === directory.masterAccountId || target.roleName.toLowerCase() !== MEMBER_ACCESS_ROLE.toLowerCase()) {
        throw errors.stsRoleNotExists();
      }
      if ((await tx.stsSessions.liveCount(caller.accountId, now, this.options.maxLiveSessions)) >= this.options.maxLiveSessions) {
        throw errors.stsSessionLimit(this.options.maxLiveSessions);
      }
      await tx.stsSessions.insert({
        accessKeyId: issued.accessKeyId,
        accessKeySecret: issued.accessKeySecret,
        tokenHash: hashToken(issued.securityToken),
        accountId: target.accountId,
        roleName: MEMBER_ACCESS_ROLE,
        sessionName: p.RoleSessionName,
        trustorAccountId: caller.accountId,
        sourceAccessKeyId: callerKeyId,
        policy: p.Policy ?? null,
        sourceIdentity: p.SourceIdentity ?? null,
        createdAt: now,
        expiresAt: issued.expiresAt,
      });
    });
    return { identity: role, ...issued, sourceIdentity: p.SourceIdentity };
  }

  /** A temporary key as the authenticator needs it (src/protocol/authenticate.ts); null when none has that ID. */
  async temporaryKey(accessKeyId: string): Promise<TemporaryKey | null> {
    const session = await this.deps.store.readOne((tx) => tx.stsSessions.byAccessKeyId(accessKeyId));
    if (!session) return null;
    // A session whose account is in no directory is untrusted, so refused before its policy matters.
    const policy = session.policy !== null && session.directoryId !== null
      ? { document: session.policy, directoryArn: directoryArn(session.trustorAccountId, session.directoryId) }
      : null;
    return {
      accessKeySecret: session.accessKeySecret,
      tokenHash: session.tokenHash,
      identity: roleSession(session.accountId, session.roleName, session.sessionName, policy),
      expiresAt: session.expiresAt,
      trusted: session.trusted,
    };
  }
}
