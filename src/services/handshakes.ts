import { errors } from '../domain/errors.js';
import {
  checkHandshakeId,
  checkNote,
  checkTarget,
  HANDSHAKE_VALIDITY_MS,
  INVITATION_RATE_WINDOW_MS,
  requirePending,
  statusAt,
  type HandshakeStatus,
} from '../domain/handshake-rules.js';
import type { TagParam } from '../domain/tag-rules.js';
import { locks } from '../storage/locks.js';
import type { AccountRecord, DirectoryRecord, HandshakeRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { callerDirectory, toPage, type PageRequest, type ServiceDeps } from './deps.js';
import { isFolderId, type DirectoryService } from './directory.js';
import { DISPLAY_NAME, leaveDirectory, requireMember } from './members.js';
import type { MessageCenterService } from './message-center.js';
import type { OutboxService } from './outbox.js';
import { tagsToWrite, writeTags } from './tags.js';
import { attachSystemPolicyToNewTargets } from './control-policies.js';

export interface HandshakeOptions {
  /** Invitations a directory may send in 24 hours, accepted ones not counted (RDMC_INVITATIONS_PER_DAY). */
  invitationsPerDay: number;
  /** Pending invitations a directory may have at once (RDMC_INVITATIONS_PENDING). */
  invitationsPending: number;
  /** Invitations a directory may send one account in 24 hours (RDMC_INVITATIONS_PER_TARGET_PER_DAY). */
  invitationsPerTargetPerDay: number;
}

/** An invitation as an answer shows it: its status at the time of the read, and the names only its invitee is shown. */
export interface HandshakeView extends HandshakeRecord {
  shownStatus: HandshakeStatus;
  realNames?: { invited: string; master: string };
}

export interface HandshakePage {
  paging: { pageNumber: number; pageSize: number };
  total: number;
  handshakes: HandshakeView[];
}

export interface InviteRequest {
  TargetType: string;
  TargetEntity: string;
  Note?: string;
  ParentFolderId?: string;
  Tag?: TagParam[];
}

/**
 * Invitations between tenants (docs/reference/invitations.md). A management account invites a
 * standalone account (one of RDMC_ACCESS_KEYS' accounts that is in no directory) by its ID or
 * its logon e-mail; the invited account answers with its own keys. Accepting makes it a
 * `CloudAccount` member that joined by invitation, with the access role every member has
 * (STS AssumeRole trusts membership) and the contacts bound above it in its message center.
 * An invitation is shown to its directory's management account and to its invitee only: to
 * anyone else it does not exist.
 */
export class HandshakeService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly directory: DirectoryService,
    private readonly messageCenters: MessageCenterService,
    private readonly outbox: OutboxService,
    private readonly options: HandshakeOptions,
  ) {}

  async invite(callerId: string, p: InviteRequest): Promise<HandshakeView> {
    const target = checkTarget(p.TargetType, p.TargetEntity);
    const note = checkNote(p.Note);
    if (p.ParentFolderId !== undefined && !isFolderId(p.ParentFolderId)) throw errors.invalidParentFolderId();
    const tags = tagsToWrite(p.Tag ?? []);
    return this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      if (p.ParentFolderId !== undefined && !(await tx.folders.byId(directory.id, p.ParentFolderId))) throw errors.folderNotExists();
      const account = await this.targetAccount(tx, target.type, target.entity);
      if (account.directoryId === directory.id) throw errors.accountAlreadyMember();
      // A management account is a member of its own directory, so this covers both.
      if (account.directoryId !== null) throw errors.invitedAccountInAnotherDirectory();
      const now = this.deps.clock.now();
      if (await tx.handshakes.pendingTo(directory.id, account.id, now)) throw errors.handshakeAlreadyExists();
      (await this.directory.memberRoom(tx, directory)).take();
      await this.checkRates(tx, directory, account, now);
      const handshake: HandshakeRecord = {
        id: this.deps.ids.handshakeId(),
        directoryId: directory.id,
        masterAccountId: directory.masterAccountId,
        masterAccountName: directory.masterAccountName,
        targetType: target.type,
        targetEntity: target.entity,
        targetAccountId: account.id,
        note,
        parentFolderId: p.ParentFolderId ?? null,
        tags,
        status: 'Pending',
        createTime: now,
        modifyTime: now,
        expireTime: now + HANDSHAKE_VALIDITY_MS,
        // A pending invitation stops mattering when it expires, unless answered first.
        endedAt: now + HANDSHAKE_VALIDITY_MS,
      };
      await tx.handshakes.insert(handshake);
      await this.outbox.record(tx, invitationMail(handshake, account));
      return view(handshake, now);
    });
  }

  /** The account a target names: only accounts rdmc knows can be invited (docs/reference/invitations.md). */
  private async targetAccount(tx: Tx, type: 'Account' | 'Email', entity: string): Promise<AccountRecord> {
    const account =
      type === 'Account' ? await tx.accounts.byId(entity) : ((await tx.accounts.byAccountName(entity)) ?? (await tx.accounts.byAccountName(entity.toLowerCase())));
    if (!account) throw errors.invalidParameter('TargetEntity');
    return account;
  }

  /** The three bounds on what a directory sends: pending at once, sent a day, sent one account a day. */
  private async checkRates(tx: Tx, directory: DirectoryRecord, account: AccountRecord, now: number): Promise<void> {
    const o = this.options;
    const since = now - INVITATION_RATE_WINDOW_MS;
    if ((await tx.handshakes.pendingCount(directory.id, now, o.invitationsPending)) >= o.invitationsPending) throw errors.invitationRate();
    if ((await tx.handshakes.sentSince(directory.id, since, o.invitationsPerDay)) >= o.invitationsPerDay) throw errors.invitationRate();
    if ((await tx.handshakes.sentToSince(directory.id, account.id, since, o.invitationsPerTargetPerDay)) >= o.invitationsPerTargetPerDay) {
      throw errors.sameTargetInvitationRate();
    }
  }

  /**
   * AcceptHandshake, by the invited account: it joins the inviting directory where the
   * invitation says (the Root when it said nothing, or when that folder is gone), with the
   * invitation's tags. The invitee's account and the inviting directory are both locked, so
   * neither another acceptance nor the invitee enabling a directory of its own can interleave.
   */
  async accept(callerId: string, handshakeId: string): Promise<HandshakeView> {
    return this.answer(callerId, handshakeId, async (tx, h, now) => {
      const directory = await tx.directories.byId(h.directoryId);
      if (!directory) throw errors.specifiedDirectoryNotExists();
      requirePending(h, now);
      const account = (await tx.accounts.byId(callerId))!;
      if (account.directoryId !== null) throw errors.inviteeInAnotherDirectory();
      (await this.directory.memberRoom(tx, directory)).take();
      const folderId = (h.parentFolderId && (await tx.folders.byId(directory.id, h.parentFolderId))?.id) || directory.rootFolderId;
      const member: AccountRecord = {
        ...account,
        directoryId: directory.id,
        folderId,
        displayName: await freeDisplayName(tx, directory.id, account),
        type: 'CloudAccount',
        joinMethod: 'invited',
        joinTime: now,
        modifyTime: now,
      };
      await tx.accounts.update(member);
      await writeTags(tx, directory.id, 'Account', [member.id], h.tags);
      // A new member gets at once what the bindings above its folder give.
      await this.messageCenters.syncAccount(tx, directory, member);
      // While control policies are enabled, a joining member gets the system policy as a created one does.
      await attachSystemPolicyToNewTargets(tx, directory.id, [{ id: member.id, type: 'Account' }], now);
      await tx.handshakes.settle(h.id, 'Accepted', now, null);
      return { ...h, status: 'Accepted', modifyTime: now, endedAt: null };
    });
  }

  /** DeclineHandshake, by the invited account. */
  async decline(callerId: string, handshakeId: string): Promise<HandshakeView> {
    return this.answer(callerId, handshakeId, async (tx, h, now) => {
      requirePending(h, now);
      await tx.handshakes.settle(h.id, 'Declined', now, now);
      return { ...h, status: 'Declined', modifyTime: now, endedAt: now };
    });
  }

  /** The invitee's answer, under the lock of its account and of the inviting directory (src/storage/locks.ts). */
  private async answer(
    callerId: string,
    handshakeId: string,
    fn: (tx: Tx, h: HandshakeRecord, now: number) => Promise<HandshakeRecord>,
  ): Promise<HandshakeView> {
    checkHandshakeId(handshakeId);
    const seen = await this.deps.store.read((tx) => addressedTo(tx, callerId, handshakeId));
    return this.deps.store.transaction(locks.invitee(callerId, seen.masterAccountId), async (tx) => {
      const now = this.deps.clock.now();
      return view(await fn(tx, await addressedTo(tx, callerId, handshakeId), now), now);
    });
  }

  /** CancelHandshake, by the inviting management account. */
  async cancel(callerId: string, handshakeId: string): Promise<HandshakeView> {
    checkHandshakeId(handshakeId);
    return this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await tx.directories.byMasterAccount(callerId);
      const h = await tx.handshakes.byId(handshakeId);
      if (!h || h.directoryId !== directory?.id) throw errors.handshakeNotExists();
      const now = this.deps.clock.now();
      requirePending(h, now);
      await tx.handshakes.settle(h.id, 'Cancelled', now, now);
      return view({ ...h, status: 'Cancelled', modifyTime: now, endedAt: now }, now);
    });
  }

  /**
   * GetHandshake, by either side. An accepted invitation still reads, with `Status=Accepted`
   * (Alibaba answers `HandshakeStatusMismatch` instead; Terraform reads both as accepted).
   */
  async get(callerId: string, handshakeId: string): Promise<HandshakeView> {
    checkHandshakeId(handshakeId);
    return this.deps.store.read(async (tx) => {
      const h = await tx.handshakes.byId(handshakeId);
      const now = this.deps.clock.now();
      if (h?.targetAccountId === callerId) {
        const invited = await tx.accounts.byId(callerId);
        return { ...view(h, now), realNames: { invited: invited?.accountName ?? '', master: h.masterAccountName } };
      }
      const directory = await tx.directories.byMasterAccount(callerId);
      if (!h || h.directoryId !== directory?.id) throw errors.handshakeNotExists();
      return view(h, now);
    });
  }

  /** ListHandshakesForResourceDirectory: what the caller's directory sent, newest first. */
  async listForDirectory(callerId: string, p: PageRequest): Promise<HandshakePage> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      return this.page(p, await tx.handshakes.ofDirectory(directory.id, toPage(p)));
    });
  }

  /** ListHandshakesForAccount: invitations addressed to the caller and, for a management account, those its directory sent. */
  async listForAccount(callerId: string, p: PageRequest): Promise<HandshakePage> {
    return this.deps.store.read(async (tx) => {
      const directory = await tx.directories.byMasterAccount(callerId);
      return this.page(p, await tx.handshakes.ofAccount(callerId, directory?.id ?? '', toPage(p)));
    });
  }

  private page(p: PageRequest, found: { total: number; items: HandshakeRecord[] }): HandshakePage {
    const now = this.deps.clock.now();
    return { paging: { pageNumber: p.PageNumber, pageSize: p.PageSize }, total: found.total, handshakes: found.items.map((h) => view(h, now)) };
  }

  /**
   * RemoveCloudAccount: a cloud account leaves the directory by the rule of any member that
   * leaves (`leaveDirectory`) and becomes a standalone account again, which may be invited
   * anew; its accepted invitation is then kept only as long as retention says.
   */
  async removeCloudAccount(callerId: string, accountId: string): Promise<void> {
    await this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const account = await requireMember(tx, directory, accountId);
      if (account.id === directory.masterAccountId || account.type !== 'CloudAccount') throw errors.accountTypeOrStatusMismatch();
      // A delegated administrator stays until deregistered, as DeleteAccount requires (leaving would drop its delegations).
      const [delegation] = await tx.delegations.ofAccount(directory.id, account.id, null, 1);
      if (delegation) throw errors.trustedServiceAdministrator(delegation.servicePrincipal);
      // Leaving drops the member's control-policy attachments too (`leaveDirectory`, issue 22 point 1).
      await leaveDirectory(tx, directory, account);
      const now = this.deps.clock.now();
      await tx.accounts.update({ ...account, directoryId: null, folderId: null, modifyTime: now });
      await tx.handshakes.endAccepted(directory.id, account.id, now);
    });
  }
}

const view = (h: HandshakeRecord, now: number): HandshakeView => ({ ...h, shownStatus: statusAt(h, now) });

/** An invitation addressed to the caller; any other reads as missing. */
async function addressedTo(tx: Tx, callerId: string, handshakeId: string): Promise<HandshakeRecord> {
  const h = await tx.handshakes.byId(handshakeId);
  if (!h || h.targetAccountId !== callerId) throw errors.handshakeNotExists();
  return h;
}

/** The joining account's display name, or, when a member of the directory holds it, the first `<name>-N` none does. */
async function freeDisplayName(tx: Tx, directoryId: string, account: AccountRecord): Promise<string> {
  const name = DISPLAY_NAME.test(account.displayName) ? account.displayName : `account-${account.id}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : `${name.slice(0, 45)}-${n}`;
    if (DISPLAY_NAME.test(candidate) && !(await tx.accounts.byDisplayName(directoryId, candidate))) return candidate;
  }
}

/** The invitation e-mail, to the address the invitation names (an account's own: its logon e-mail). */
function invitationMail(h: HandshakeRecord, account: AccountRecord) {
  const to = h.targetType === 'Email' ? h.targetEntity : account.accountName;
  const lines = [
    `${h.masterAccountName} (${h.masterAccountId}) invites your account ${account.id} to join resource directory ${h.directoryId}.`,
    ...(h.note ? [`Note: ${h.note}`] : []),
    `Invitation ID: ${h.id}. Accept it with AcceptHandshake (or decline it with DeclineHandshake), signed with your account's own AccessKey, before ${new Date(h.expireTime).toISOString()}.`,
  ];
  return { channel: 'email' as const, to, subject: 'Invitation to join a resource directory', body: lines.join('\n'), link: null, contactId: null, accountId: account.id };
}
