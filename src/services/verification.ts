import { noteAuditTargets } from '../audit/scope.js';
import { createHash } from 'node:crypto';
import { checkContactId, checkEmail, checkPhone } from '../domain/contact-rules.js';
import { errors } from '../domain/errors.js';
import type { Channel, ContactRecord, VerificationTokenRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { callerDirectory, type ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import type { OutboxService } from './outbox.js';
import { SEND_LIMITS, SEND_WINDOW_MS, TARGET_WINDOW_MS } from '../domain/send-limits.js';


/**
 * The per-minute counter of one account's sends to one mailbox: the mailbox, not its
 * spelling. Mail systems treat an address's case as one mailbox (`Victim@X`, `VICTIM@x`), so
 * an address is counted lower-cased; a phone number is canonical already (checkPhone: `86-`
 * and 11 digits). No address or number holds a space, so the account's ID and the target
 * cannot run into each other.
 */
const targetKey = (accountId: string, channel: Channel, target: string) => `${accountId} ${channel === 'email' ? target.toLowerCase() : target}`;
/** The account's daily counter shares the table with the targets': theirs start with a digit. */
const accountKey = (accountId: string) => `account ${accountId}`;

export interface VerificationOptions {
  /** Where links point: RDMC_PUBLIC_URL, or the address rdmc listens on. */
  publicUrl: () => string;
  tokenTtlMs: number;
}

export type LinkState =
  | { state: 'valid' | 'confirmed'; contactName: string; target: string; channel: Channel }
  | { state: 'unknown' | 'used' | 'expired' | 'stale' };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const pendingTarget = (c: ContactRecord, channel: Channel) => (channel === 'email' ? c.emailPending : c.phonePending);

/**
 * Verification of a contact's pending email and phone (docs/reference/model.md section 5): a single-use,
 * expiring link is sent through the outbox; following it makes the target effective.
 */
export class VerificationService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly outbox: OutboxService,
    private readonly options: VerificationOptions,
  ) {}

  async sendEmail(accountId: string, p: { ContactId: string; EmailAddress: string }) {
    return this.send(accountId, checkContactId(p.ContactId), 'email', checkEmail(p.EmailAddress));
  }

  async sendPhone(accountId: string, p: { ContactId: string; PhoneNumber: string }) {
    return this.send(accountId, checkContactId(p.ContactId), 'sms', checkPhone(p.PhoneNumber));
  }

  private async send(accountId: string, contactId: string, channel: Channel, target: string): Promise<void> {
    // Both counters are the directory owner's, so the directory's lock serialises their
    // count-then-record with every other send that counts them, on any node.
    await this.deps.store.transaction(locks.callerDirectory(accountId), async (tx) => {
      const directory = await callerDirectory(tx, accountId);
      const contact = await tx.contacts.byId(directory.id, contactId);
      if (!contact) throw errors.contactNotExists();
      if (pendingTarget(contact, channel) !== target) throw errors.verificationNotExists();
      await this.checkRate(tx, targetKey(directory.masterAccountId, channel, target), accountKey(directory.masterAccountId));

      const token = this.deps.ids.token();
      const now = this.deps.clock.now();
      const expiresAt = now + this.options.tokenTtlMs;
      await tx.verificationTokens.insert({
        tokenHash: hashToken(token),
        directoryId: directory.id,
        contactId: contact.id,
        channel,
        target,
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
      const link = `${this.options.publicUrl().replace(/\/$/, '')}/verify/${token}`;
      const body =
        channel === 'email'
          ? `Hello ${contact.name},\n\nPlease confirm that ${target} may receive Alibaba Cloud resource directory messages as the message contact "${contact.name}":\n${link}\n\nThe link works once and expires at ${new Date(expiresAt).toISOString()}. If you did not expect this message, ignore it.`
          : `Confirm ${target} as message contact ${contact.name}: ${link}`;
      await this.outbox.record(tx, {
        channel,
        to: target,
        subject: `Verify your ${channel === 'email' ? 'email address' : 'mobile number'} for message contact ${contact.name}`,
        body,
        link,
        contactId: contact.id,
        accountId: null,
      });
    });
  }

  /**
   * 10 a minute per account and target (its `targetKey`) and 100 a day per account, counted
   * in the database so every node agrees. A refused send counts for neither.
   */
  private async checkRate(tx: Tx, target: string, account: string): Promise<void> {
    const now = this.deps.clock.now();
    const sends = tx.verificationSends;
    if ((await sends.countSince(target, now - TARGET_WINDOW_MS)) >= SEND_LIMITS.perTargetPerMinute) throw errors.sendLimit();
    if ((await sends.countSince(account, now - SEND_WINDOW_MS)) >= SEND_LIMITS.perAccountPerDay) throw errors.sendLimit();
    await sends.record(target, now);
    await sends.record(account, now);
  }

  /** Why a token cannot be used, or the live token with its contact. */
  private async resolve(tx: Tx, token: string): Promise<LinkState | { token: VerificationTokenRecord; contact: ContactRecord }> {
    const record = await tx.verificationTokens.byHash(hashToken(token));
    if (!record) return { state: 'unknown' };
    // A confirmation's audit record names the contact and its directory, never the token.
    noteAuditTargets(record.contactId, record.directoryId);
    if (record.usedAt !== null) return { state: 'used' };
    if (record.expiresAt <= this.deps.clock.now()) return { state: 'expired' };
    const contact = await tx.contacts.byId(record.directoryId, record.contactId);
    // The target was verified through another link, changed or cancelled since this one was sent.
    if (!contact || pendingTarget(contact, record.channel) !== record.target) return { state: 'stale' };
    return { token: record, contact };
  }

  async inspect(token: string): Promise<LinkState> {
    return this.deps.store.read(async (tx) => {
      const r = await this.resolve(tx, token);
      if ('state' in r) return r;
      return { state: 'valid', contactName: r.contact.name, target: r.token.target, channel: r.token.channel };
    });
  }

  async confirm(token: string): Promise<LinkState> {
    // A token's directory never changes, so it can be read before the lock; the contact is
    // read after it: a copy read before could be stale, and this write would put it back
    // over an update committed meanwhile on another node.
    const found = await this.deps.store.read((tx) => tx.verificationTokens.byHash(hashToken(token)));
    if (!found) return { state: 'unknown' };
    return this.deps.store.transaction(locks.directory(found.directoryId), async (tx) => {
      const r = await this.resolve(tx, token);
      if ('state' in r) return r;
      if (!(await tx.verificationTokens.markUsed(r.token.tokenHash, this.deps.clock.now()))) return { state: 'used' };
      const verified =
        r.token.channel === 'email'
          ? { ...r.contact, emailEffective: r.token.target, emailPending: null }
          : { ...r.contact, phoneEffective: r.token.target, phonePending: null };
      await tx.contacts.update(verified);
      return { state: 'confirmed', contactName: r.contact.name, target: r.token.target, channel: r.token.channel };
    });
  }
}
