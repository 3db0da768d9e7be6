import { errors } from '../domain/errors.js';
import { idPatterns } from '../domain/ids.js';
import type { AccountRecord, DirectoryRecord } from '../storage/records.js';
import type { Tx } from '../storage/store.js';
import { dropTargetAttachments } from './control-policies.js';

/** Display names: 2 to 50 English letters, digits, Chinese characters, `_ . -` or spaces. */
export const DISPLAY_NAME = /^[A-Za-z0-9\p{Script=Han}_. -]{2,50}$/u;

/** A member of the caller's directory (the management account included), or the documented 400/404. */
export async function requireMember(tx: Tx, directory: DirectoryRecord, accountId: string): Promise<AccountRecord> {
  if (!idPatterns.account.test(accountId)) throw errors.invalidAccountId();
  const account = await tx.accounts.byId(accountId);
  if (!account || account.directoryId !== directory.id) throw errors.accountNotExists();
  return account;
}

/** A display name no other member of the directory uses (the account's own name is not a conflict). */
export async function checkDisplayName(tx: Tx, directoryId: string, displayName: string, self: string | null): Promise<void> {
  if (!DISPLAY_NAME.test(displayName)) throw errors.invalidDisplayName();
  const holder = await tx.accounts.byDisplayName(directoryId, displayName);
  if (holder && holder.id !== self) throw errors.displayNameAlreadyUsed();
}

/** A payer must be a member of the same directory (the management account included). */
export async function requirePayer(tx: Tx, directory: DirectoryRecord, payerAccountId: string): Promise<AccountRecord> {
  if (!idPatterns.account.test(payerAccountId)) throw errors.invalidParameter('PayerAccountId');
  const payer = await tx.accounts.byId(payerAccountId);
  if (!payer || payer.directoryId !== directory.id) throw errors.payerNotInDirectory();
  return payer;
}

/**
 * A member leaves its directory (docs/semantics.md, "A member that leaves"), by DeleteAccount
 * or, for the management account, by DestroyResourceDirectory: its message center goes whole,
 * its direct bindings go, its tags, its payer, its control-policy attachments and its delegations of trusted services go; a member that still pays for another is
 * refused first, before anything is written. The caller then deletes the account or detaches it.
 */
export async function leaveDirectory(tx: Tx, directory: DirectoryRecord, account: AccountRecord): Promise<void> {
  if ((await tx.accountPayers.countPaidBy(account.id)) > 0) throw errors.accountPaysForOthers();
  await tx.messageCenters.deleteForAccount(account.id);
  await tx.bindings.deleteForMember(account.id);
  await tx.tags.remove(directory.id, 'Account', [account.id], null);
  await tx.accountPayers.set(account.id, null);
  await dropTargetAttachments(tx, directory.id, [account.id]);
  await tx.delegations.deleteOfAccount(account.id);
}
