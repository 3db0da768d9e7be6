import { errors } from '../domain/errors.js';
import { idPatterns } from '../domain/ids.js';
import type { AccountDeletionRecord, AccountRecord, AccountType, DirectoryRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { callerDirectory, type ServiceDeps } from './deps.js';
import { locks } from '../storage/locks.js';
import { directorySettings } from './directory-settings.js';
import { checkDisplayName, leaveDirectory, requireMember, requirePayer } from './members.js';

const ACCOUNT_TYPES = new Set<AccountType>(['ResourceAccount', 'CloudAccount']);

/** Who pays for a member account: nobody else (both null), or another member of its directory. */
export interface PayerView {
  payerAccountId: string | null;
  /** Null too when the payer's account is gone. */
  payerAccountName: string | null;
}

/** A member account whose deletion completed: its record, `deletedAt` set. */
export type CompletedDeletion = AccountDeletionRecord & { deletedAt: number };

/**
 * The life of a member account after its creation: renaming, changing its type, its payer,
 * and deleting it (CheckAccountDelete, DeleteAccount and their status reads).
 */
export class MemberAccountService {
  constructor(private readonly deps: ServiceDeps) {}

  private async write<T>(callerId: string, fn: (tx: Tx, directory: DirectoryRecord) => Promise<T>): Promise<T> {
    return this.deps.store.transaction(locks.callerDirectory(callerId), async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      return fn(tx, directory);
    });
  }

  /**
   * UpdateAccount: a new display name and/or type. Asking for the type the account already
   * has changes nothing (Terraform sends it on create); a resource account may become a cloud
   * account, never the other way round.
   */
  async update(callerId: string, p: { AccountId: string; NewDisplayName?: string; NewAccountType?: string; DryRun: boolean }): Promise<AccountRecord> {
    if (p.NewDisplayName === undefined && p.NewAccountType === undefined) throw errors.missingParameter('NewDisplayName');
    if (p.NewAccountType !== undefined && !ACCOUNT_TYPES.has(p.NewAccountType as AccountType)) throw errors.invalidParameter('NewAccountType');
    return this.write(callerId, async (tx, directory) => {
      const account = await requireMember(tx, directory, p.AccountId);
      const type = (p.NewAccountType as AccountType | undefined) ?? account.type;
      if (type === 'ResourceAccount' && account.type === 'CloudAccount') throw errors.accountTypeMismatch();
      if (p.NewDisplayName !== undefined) await checkDisplayName(tx, directory.id, p.NewDisplayName, account.id);
      const displayName = p.NewDisplayName ?? account.displayName;
      const changed = type !== account.type || displayName !== account.displayName;
      const updated: AccountRecord = changed ? { ...account, type, displayName, modifyTime: this.deps.clock.now() } : account;
      if (changed) await tx.accounts.update(updated);
      if (p.DryRun) throw errors.dryRunOperation();
      return updated;
    });
  }

  async payer(callerId: string, accountId: string): Promise<PayerView> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const account = await requireMember(tx, directory, accountId);
      const payerId = await tx.accountPayers.get(account.id);
      const payer = payerId ? await tx.accounts.byId(payerId) : null;
      // A member that settles its own bills has no payer to show (Terraform's payer_account_id stays empty).
      return { payerAccountId: payerId, payerAccountName: payer?.accountName ?? null };
    });
  }

  /** UpdatePayerForAccount; an empty PayerAccountId (Terraform removing the attribute) makes the account pay for itself. */
  async setPayer(callerId: string, p: { AccountId: string; PayerAccountId?: string }): Promise<void> {
    if (p.PayerAccountId === undefined) throw errors.missingParameter('PayerAccountId');
    return this.write(callerId, async (tx, directory) => {
      const account = await requireMember(tx, directory, p.AccountId);
      if (p.PayerAccountId === '' || p.PayerAccountId === account.id) {
        await tx.accountPayers.set(account.id, null);
      } else {
        await requirePayer(tx, directory, p.PayerAccountId!);
        await tx.accountPayers.set(account.id, p.PayerAccountId!);
      }
    });
  }

  /**
   * Only a resource account created in the directory, only while member deletion is enabled,
   * and only once it administers no trusted service.
   */
  private async requireDeletable(tx: Tx, directory: DirectoryRecord, accountId: string): Promise<AccountRecord> {
    const account = await requireMember(tx, directory, accountId);
    if (account.id === directory.masterAccountId || account.type !== 'ResourceAccount') throw errors.accountTypeOrStatusMismatch();
    if ((await directorySettings(tx, directory.id)).memberDeletionStatus !== 'Enabled') throw errors.memberDeletionDisabled();
    if ((await tx.delegations.ofAccount(directory.id, account.id, null, 1)).length > 0) throw errors.memberIsDelegatedAdministrator();
    return account;
  }

  /** CheckAccountDelete: rdmc has no product that could hold an account back, so the check completes at once and allows. */
  async checkDelete(callerId: string, accountId: string): Promise<void> {
    return this.write(callerId, async (tx, directory) => {
      const account = await this.requireDeletable(tx, directory, accountId);
      const record = await tx.accountDeletions.byAccount(account.id);
      await tx.accountDeletions.put({ accountId: account.id, directoryId: directory.id, checkedAt: this.deps.clock.now(), deletedAt: record?.deletedAt ?? null });
    });
  }

  /** GetAccountDeletionCheckResult: the completed check's record (every check allows the deletion). */
  async checkResult(callerId: string, accountId: string): Promise<AccountDeletionRecord> {
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const account = await requireMember(tx, directory, accountId);
      const record = await tx.accountDeletions.byAccount(account.id);
      if (!record?.checkedAt) throw errors.noCheckTask();
      return record;
    });
  }

  /**
   * DeleteAccount: the account leaves the directory for good (`leaveDirectory`), then is
   * deleted. A deletion record stays, so GetAccountDeletionStatus still answers (for
   * `RDMC_RETENTION_DELETION_RECORDS_MS`, src/jobs/retention.ts).
   */
  async delete(callerId: string, p: { AccountId: string; AbandonableCheckId?: string }): Promise<void> {
    if (p.AbandonableCheckId) parseCheckIds(p.AbandonableCheckId);
    return this.write(callerId, async (tx, directory) => {
      const account = await this.requireDeletable(tx, directory, p.AccountId);
      await leaveDirectory(tx, directory, account);
      const now = this.deps.clock.now();
      const record = await tx.accountDeletions.byAccount(account.id);
      await tx.accounts.delete(account.id);
      await tx.accountDeletions.put({ accountId: account.id, directoryId: directory.id, checkedAt: record?.checkedAt ?? null, deletedAt: now });
    });
  }

  async deletionStatus(callerId: string, accountId: string): Promise<CompletedDeletion> {
    if (!idPatterns.account.test(accountId)) throw errors.invalidAccountId();
    return this.deps.store.read(async (tx) => {
      const directory = await callerDirectory(tx, callerId);
      const record = await tx.accountDeletions.byAccount(accountId);
      if (record?.directoryId === directory.id && record.deletedAt !== null) return { ...record, deletedAt: record.deletedAt };
      // A live member with no deletion under way.
      await requireMember(tx, directory, accountId);
      throw errors.noCheckTask();
    });
  }
}

/** `AbandonableCheckId` arrives as a JSON array of strings (the SDK's "json" style); `""` means none. */
function parseCheckIds(value: string): string[] {
  try {
    const ids = JSON.parse(value) as unknown;
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return ids;
  } catch {
    // falls through to the documented error
  }
  throw errors.invalidParameter('AbandonableCheckId');
}
