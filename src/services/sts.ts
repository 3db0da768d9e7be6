import { randomBytes } from 'node:crypto';
import { errors } from '../domain/errors.js';
import { MEMBER_ACCESS_ROLE, type Identity, type RoleSessionIdentity } from '../domain/identity.js';
import { ALNUM, randomString } from '../domain/ids.js';
import {
  checkExternalId,
  checkSessionName,
  checkSessionPolicy,
  checkSourceIdentity,
  parseRoleArn,
  sessionSeconds,
} from '../domain/sts-rules.js';
import { hashToken, TEMPORARY_KEY_PREFIX, type TemporaryKey } from '../domain/temporary-keys.js';
import { locks } from '../storage/locks.js';
import type { ServiceDeps } from './deps.js';

export interface StsOptions {
  /** The longest session a role allows (RDMC_STS_MAX_SESSION_SECONDS): its MaxSessionDuration. */
  maxSessionSeconds: number;
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
 * trusts the directory's management account; a RAM user (or a role session) of that account
 * may assume it, an account's root key may not, as Alibaba's STS refuses root callers.
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
    if (caller.type === 'Account') throw errors.stsRootCaller();

    const now = this.deps.clock.now();
    const role = { type: 'AssumedRoleUser', accountId: target.accountId, roleName: MEMBER_ACCESS_ROLE, sessionName: p.RoleSessionName } as const;
    const issued = {
      accessKeyId: `${TEMPORARY_KEY_PREFIX}${randomString(28, ALNUM)}`,
      accessKeySecret: randomString(44, ALNUM),
      securityToken: `CAIS${randomBytes(96).toString('base64url')}`,
      expiresAt: now + seconds * 1000,
    };
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
    return {
      accessKeySecret: session.accessKeySecret,
      tokenHash: session.tokenHash,
      identity: { type: 'AssumedRoleUser', accountId: session.accountId, roleName: session.roleName, sessionName: session.sessionName },
      expiresAt: session.expiresAt,
      trusted: session.trusted,
    };
  }
}
