import {
  cancelPendingUpdate,
  checkContactId,
  checkEmail,
  checkMessageTypes,
  checkName,
  checkPhone,
  checkTitle,
  LIMITS,
} from '../domain/contact-rules.js';
import { errors } from '../domain/errors.js';
import { memberKindOf, type MemberKind } from '../domain/ids.js';
import type { ContactRecord, DeletionRecord, DirectoryRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import type { ContactDeletionService } from './contact-deletion.js';
import { contactView, shownEmail, shownPhone, type ContactView } from './contact-view.js';
import { callerDirectory, toPage, type PageRequest, type ServiceDeps } from './deps.js';
import type { FanOutService } from './fan-out.js';
import { locks } from '../storage/locks.js';
import { Room } from './room.js';

/** A page of ListMessageContacts: each contact with the time it was bound (null when unbound). */
export interface ContactPage {
  paging: { pageNumber: number; pageSize: number };
  total: number;
  contacts: Array<ContactView & { associatedAt: number | null }>;
}

/** A page of ListMessageContactVerifications: the pending targets. */
export interface VerificationPage {
  paging: { pageNumber: number; pageSize: number };
  total: number;
  targets: Array<{ contactId: string; target: string }>;
}

/** A contact's deletion: null when it was never deleted. */
export interface ContactDeletion {
  contactId: string;
  deletion: DeletionRecord | null;
}

/** One target of an AssociateMembers or DisassociateMembers call, and when its binding last changed. */
export interface BindingChange {
  contactId: string;
  memberId: string;
  modifiedAt: number;
}

export interface ContactServiceOptions {
  contactQuota: number;
}


/** The binding targets of one call: 1 to 5 well-formed, distinct IDs. */
function checkMembers(members: string[] | undefined, tooMany: () => Error): Array<{ id: string; kind: MemberKind }> {
  if (!members || members.length === 0) throw errors.invalidParameter('Members');
  if (members.length > LIMITS.membersPerCall) throw tooMany();
  if (new Set(members).size !== members.length) throw errors.membersDuplicate();
  return members.map((id) => {
    const kind = memberKindOf(id);
    if (!kind) throw errors.invalidParameter('Members');
    return { id, kind };
  });
}

/**
 * Message contacts: their fields, pending and effective addresses, bindings and deletion
 * (docs/reference/model.md sections 2 to 4). Every rule is here; the store only keeps rows.
 */
export class ContactService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly fanOut: FanOutService,
    private readonly deletions: ContactDeletionService,
    private readonly options: ContactServiceOptions,
  ) {}

  private async requireContact(tx: Tx, directory: DirectoryRecord, contactId: string): Promise<ContactRecord> {
    const contact = await tx.contacts.byId(directory.id, contactId);
    if (!contact) throw errors.contactNotExists();
    return contact;
  }

  /** A contact a mutation may change: not being deleted, no background job of its own pending. */
  private async requireMutable(tx: Tx, directory: DirectoryRecord, contactId: string): Promise<ContactRecord> {
    const contact = await this.requireContact(tx, directory, contactId);
    if (contact.deleting) throw errors.contactStatusMismatch();
    if ((await tx.jobs.pendingForContact(contact.id)) > 0) throw errors.concurrentCall();
    return contact;
  }

  /** The contact quota: room for one more contact in the directory (callers hold its lock). */
  private async checkContactRoom(tx: Tx, directoryId: string): Promise<void> {
    new Room(this.options.contactQuota - (await tx.contacts.count(directoryId)), errors.contactQuotaExceeded).take();
  }

  /** Whether an ID names an object of this directory: the RD, its Root, a folder or a member. */
  private async memberExists(tx: Tx, directory: DirectoryRecord, id: string, kind: MemberKind): Promise<boolean> {
    if (kind === 'directory') return id === directory.id;
    if (kind === 'folder') return (await tx.folders.byId(directory.id, id)) !== null;
    return (await tx.accounts.byId(id))?.directoryId === directory.id;
  }

  private async bind(tx: Tx, directory: DirectoryRecord, contactId: string, m: { id: string; kind: MemberKind }, now: number) {
    await tx.bindings.insert({ contactId, memberId: m.id, memberKind: m.kind, boundAt: now });
    await this.fanOut.start(tx, directory, contactId, m.id, false);
  }

  /**
   * A contact as a state file describes it (`rdmc serve --init`, `rdmc import`): its
   * addresses already verified or pending, bound to targets that must exist, within the
   * quota and binding limit, message centers following in the background like any binding.
   */
  async restore(tx: Tx, directory: DirectoryRecord, contact: ContactRecord, members: Array<{ id: string; kind: MemberKind }>) {
    await this.checkContactRoom(tx, directory.id);
    if (members.length > LIMITS.bindingsPerContact) throw errors.contactMembersLimit();
    for (const m of members) if (!(await this.memberExists(tx, directory, m.id, m.kind))) throw errors.invalidMember();
    await tx.contacts.insert(contact);
    for (const m of members) await this.bind(tx, directory, contact.id, m, contact.createTime);
  }

  async add(
    accountId: string,
    p: { Name: string; EmailAddress: string; PhoneNumber?: string; Title: string; MessageTypes?: string[] },
  ): Promise<ContactRecord> {
    const name = checkName(p.Name);
    const email = checkEmail(p.EmailAddress);
    const phone = p.PhoneNumber === undefined ? null : checkPhone(p.PhoneNumber);
    const title = checkTitle(p.Title);
    const messageTypes = checkMessageTypes(p.MessageTypes ?? []);
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      if (await tx.contacts.byName(directory.id, name)) throw errors.nameAlreadyUsed();
      await this.checkContactRoom(tx, directory.id);
      const contact: ContactRecord = {
        id: this.deps.ids.contactId(),
        directoryId: directory.id,
        name,
        title,
        messageTypes,
        emailEffective: null,
        emailPending: email,
        phoneEffective: null,
        phonePending: phone,
        deleting: false,
        createTime: this.deps.clock.now(),
      };
      await tx.contacts.insert(contact);
      return contact;
    });
  }

  async update(
    accountId: string,
    p: { ContactId: string; Name?: string; EmailAddress?: string; PhoneNumber?: string; Title?: string; MessageTypes?: string[] },
  ): Promise<void> {
    checkContactId(p.ContactId);
    const name = p.Name === undefined ? undefined : checkName(p.Name);
    const email = p.EmailAddress === undefined ? undefined : checkEmail(p.EmailAddress);
    const phone = p.PhoneNumber === undefined ? undefined : checkPhone(p.PhoneNumber);
    const title = p.Title === undefined ? undefined : checkTitle(p.Title);
    const messageTypes = p.MessageTypes === undefined ? undefined : checkMessageTypes(p.MessageTypes);
    await this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await this.requireMutable(tx, directory, p.ContactId);
      const next = { ...contact };
      if (name !== undefined && name !== contact.name) {
        if (await tx.contacts.byName(directory.id, name)) throw errors.nameAlreadyUsed();
        next.name = name;
      }
      if (title !== undefined) next.title = title;
      if (messageTypes !== undefined) next.messageTypes = messageTypes;
      // Re-sending the shown address is no change; asking for the verified one again drops
      // the pending request; anything else becomes the new pending target.
      if (email !== undefined && email !== shownEmail(contact)) {
        next.emailPending = email === contact.emailEffective ? null : email;
      }
      if (phone !== undefined && phone !== shownPhone(contact)) {
        next.phonePending = phone === contact.phoneEffective ? null : phone;
      }
      await tx.contacts.update(next);
    });
  }

  async cancelUpdate(accountId: string, p: { ContactId: string; EmailAddress?: string; PhoneNumber?: string }): Promise<void> {
    checkContactId(p.ContactId);
    if (p.EmailAddress !== undefined) checkEmail(p.EmailAddress);
    if (p.PhoneNumber !== undefined) checkPhone(p.PhoneNumber);
    await this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await this.requireMutable(tx, directory, p.ContactId);
      await tx.contacts.update({ ...contact, ...cancelPendingUpdate(contact, p) });
    });
  }

  async get(accountId: string, contactId: string): Promise<ContactView> {
    checkContactId(contactId);
    // The busiest read: one statement, so one round trip on PostgreSQL.
    const { directory, contact, bindings } = await this.deps.store.readOne((tx) => tx.contacts.shownTo(accountId, contactId));
    if (!directory) throw errors.resourceDirectoryNotExists();
    if (!contact) throw errors.contactNotExists();
    return contactView(contact, bindings);
  }

  async list(accountId: string, p: PageRequest & { ContactId?: string; Member?: string }): Promise<ContactPage> {
    if (p.ContactId !== undefined) checkContactId(p.ContactId);
    const memberKind = p.Member === undefined ? null : memberKindOf(p.Member);
    if (p.Member !== undefined && !memberKind) throw errors.invalidParameter('Member');
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      if (p.ContactId !== undefined) await this.requireContact(tx, directory, p.ContactId);
      let ids: string[] | null = p.ContactId === undefined ? null : [p.ContactId];
      let boundToMember: Map<string, number> | null = null;
      if (p.Member !== undefined && memberKind) {
        if (!(await this.memberExists(tx, directory, p.Member, memberKind))) throw errors.memberNotExists();
        boundToMember = new Map((await tx.bindings.forMembers([p.Member])).map((b) => [b.contactId, b.boundAt]));
        const bound = [...boundToMember.keys()];
        ids = ids === null ? bound : ids.filter((id) => boundToMember!.has(id));
      }
      const { total, items } = await tx.contacts.list(directory.id, ids, toPage(p));
      const bindings = await tx.bindings.forContacts(items.map((c) => c.id));
      const contacts = items.map((c) => {
        const own = bindings.filter((b) => b.contactId === c.id);
        // With a Member filter: the time of binding to it; else the latest binding, null when unbound.
        const associatedAt = boundToMember ? boundToMember.get(c.id) : own.reduce<number | undefined>((m, b) => Math.max(m ?? 0, b.boundAt), undefined);
        return { ...contactView(c, own), associatedAt: associatedAt ?? null };
      });
      return { paging: { pageNumber: p.PageNumber, pageSize: p.PageSize }, total, contacts };
    });
  }

  async listVerifications(accountId: string, p: PageRequest & { ContactId?: string }): Promise<VerificationPage> {
    if (p.ContactId !== undefined) checkContactId(p.ContactId);
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      if (p.ContactId !== undefined) await this.requireContact(tx, directory, p.ContactId);
      const pending = await tx.contacts.withPendingTargets(directory.id, p.ContactId ?? null);
      const targets = pending.flatMap((c) =>
        [c.emailPending, c.phonePending].filter((t): t is string => t !== null).map((target) => ({ contactId: c.id, target })),
      );
      const { offset, limit } = toPage(p);
      return { paging: { pageNumber: p.PageNumber, pageSize: p.PageSize }, total: targets.length, targets: targets.slice(offset, offset + limit) };
    });
  }

  async associate(accountId: string, p: { ContactId: string; Members?: string[] }): Promise<BindingChange[]> {
    checkContactId(p.ContactId);
    const members = checkMembers(p.Members, () => errors.invalidParameter('Members'));
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await this.requireMutable(tx, directory, p.ContactId);
      for (const m of members) if (!(await this.memberExists(tx, directory, m.id, m.kind))) throw errors.invalidMember();
      const existing = new Map((await tx.bindings.forContact(contact.id)).map((b) => [b.memberId, b]));
      const added = members.filter((m) => !existing.has(m.id));
      if (existing.size + added.length > LIMITS.bindingsPerContact) throw errors.contactMembersLimit();
      const now = this.deps.clock.now();
      for (const m of added) await this.bind(tx, directory, contact.id, m, now);
      return members.map((m) => ({ contactId: contact.id, memberId: m.id, modifiedAt: existing.get(m.id)?.boundAt ?? now }));
    });
  }

  async disassociate(accountId: string, p: { ContactId: string; Members?: string[] }): Promise<BindingChange[]> {
    checkContactId(p.ContactId);
    const members = checkMembers(p.Members, errors.membersLength);
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await this.requireMutable(tx, directory, p.ContactId);
      // A bound target may always be unbound, even once its object is gone (a deleted folder):
      // otherwise the binding could never be removed and would count against the limit forever.
      const bound = new Set((await tx.bindings.forContact(contact.id)).map((b) => b.memberId));
      for (const m of members) {
        if (!bound.has(m.id) && !(await this.memberExists(tx, directory, m.id, m.kind))) throw errors.invalidMember();
      }
      const now = this.deps.clock.now();
      for (const m of members.filter((m) => bound.has(m.id))) {
        await tx.bindings.delete(contact.id, m.id);
        await this.fanOut.start(tx, directory, contact.id, m.id, true);
      }
      return members.map((m) => ({ contactId: contact.id, memberId: m.id, modifiedAt: now }));
    });
  }

  async delete(accountId: string, p: { ContactId: string; RetainContactInMembers: boolean }): Promise<'Deleted' | 'Deleting'> {
    checkContactId(p.ContactId);
    return this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await this.requireContact(tx, directory, p.ContactId);
      // A deletion already running is the contact's own pending job: a conflict, not a bad state.
      if (contact.deleting || (await tx.jobs.pendingForContact(contact.id)) > 0) throw errors.concurrentCall();
      return this.deletions.start(tx, directory, contact, p.RetainContactInMembers);
    });
  }

  async deletionStatus(accountId: string, contactId: string): Promise<ContactDeletion> {
    checkContactId(contactId);
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await this.requireContact(tx, directory, contactId);
      return { contactId: contact.id, deletion: await tx.deletions.byContact(contact.id) };
    });
  }
}
