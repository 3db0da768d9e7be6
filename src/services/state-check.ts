import { setImmediate } from 'node:timers/promises';
import { checkEmail, checkName, checkPhone, LIMITS } from '../domain/contact-rules.js';
import { idPatterns, memberKindOf } from '../domain/ids.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';
import { checkFolderName } from './directory.js';
import { DISPLAY_NAME } from './members.js';
import { errors, ownErrors } from '../domain/errors.js';
import { tagsToWrite } from './tags.js';
import type { AccountEntry, FolderEntry, StateFile } from './state-file.js';

export const invalidState = ownErrors.invalidState;

/** Entries checked between two yields to the event loop: a large file never holds other requests up for long. */
const ENTRIES_PER_TURN = 1_000;

/**
 * The name every tenant's own account carries (`<account ID>@aliyun.com`): reserved for the
 * tenants, configured now or later, so that laying a tenant's account down at start can never
 * meet a member that holds its name.
 */
export const TENANT_ACCOUNT_NAME = /^\d{16}@aliyun\.com$/;

/** A file's tag map as the API's `Tag.N` pairs, checked by the same rules. */
export const tagParams = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * Every rule of a state file that needs no database, checked before anything is written
 * (docs/operations.md, "Declarative state"): the owners are configured tenants, each named
 * once; IDs are well formed and unique within the file; no member account is a tenant's own
 * account (by ID or by name); names, addresses and tags follow the API's rules; display
 * names, contact names and account names are unique where the API makes them unique; and
 * every binding target names something. Uniqueness is checked in memory, so the work is
 * linear in the file. What depends on the database (IDs held elsewhere, the quotas, targets
 * named by ID) is checked in the transaction, before its first write.
 */
export async function checkStateFile(file: StateFile, tenants: readonly string[]): Promise<void> {
  const tenantIds = new Set(tenants);
  const ids = new Set<string>();
  const accountNames = new Set<string>();
  let entries = 0;
  const turn = async () => {
    if (++entries % ENTRIES_PER_TURN === 0) await setImmediate();
  };
  const uniqueId = (id: string | undefined, place: string, what: string) => {
    if (id === undefined) return;
    if (ids.has(id)) throw invalidState(`${place}: ${what} ${id} appears twice in the file.`);
    ids.add(id);
  };
  const shaped = (id: string | undefined, pattern: RegExp, place: string, what: string, shape: string) => {
    if (id !== undefined && !pattern.test(id)) throw invalidState(`${place}: ${what} "${id}" is not a ${shape}.`);
    uniqueId(id, place, what);
  };

  for (const [i, d] of file.Directories.entries()) {
    const at = `Directories.${i}`;
    if (!tenantIds.has(d.MasterAccountId)) {
      throw invalidState(`MasterAccountId ${d.MasterAccountId} is the account of no configured access key (RDMC_ACCESS_KEYS).`);
    }
    uniqueId(d.MasterAccountId, at, 'MasterAccountId');
    shaped(d.ResourceDirectoryId, idPatterns.directory, at, 'ResourceDirectoryId', 'directory ID (rd- and 6 letters or digits)');
    shaped(d.RootFolderId, idPatterns.rootFolder, at, 'RootFolderId', 'Root folder ID (r- and 6 letters or digits)');
    const displayNames = new Set<string>();
    const folderPaths = new Set<string>(['/']);

    const checkAccounts = async (list: AccountEntry[], place: string) => {
      for (const [j, e] of list.entries()) {
        const where = `${place}.Accounts.${j}`;
        if (!DISPLAY_NAME.test(e.DisplayName)) throw errors.invalidDisplayName();
        if (displayNames.has(e.DisplayName)) throw invalidState(`${where}: DisplayName ${e.DisplayName} appears twice in the directory.`);
        displayNames.add(e.DisplayName);
        // A tenant's own account is a member only by invitation, and is named by its ID.
        const invited = e.JoinMethod === 'invited';
        if (invited && e.AccountId === undefined) throw invalidState(`${where}: an account that joined by invitation needs its AccountId.`);
        if (!invited && e.AccountId !== undefined && tenantIds.has(e.AccountId)) {
          throw invalidState(`${where}: AccountId ${e.AccountId} is a tenant's own account (RDMC_ACCESS_KEYS), not a member account: mark it JoinMethod: invited.`);
        }
        uniqueId(e.AccountId, where, 'AccountId');
        if (e.AccountName !== undefined) {
          if (CONTROL_CHARACTERS.test(e.AccountName)) throw invalidState(`AccountName of ${e.DisplayName} holds a control character.`);
          if (TENANT_ACCOUNT_NAME.test(e.AccountName) && !invited) throw invalidState(`${where}: AccountName ${e.AccountName} is the name of a tenant's own account.`);
          if (accountNames.has(e.AccountName)) throw invalidState(`${where}: AccountName ${e.AccountName} appears twice in the file.`);
          accountNames.add(e.AccountName);
        }
        if (e.Tags) tagsToWrite(tagParams(e.Tags));
        await turn();
      }
    };
    // Level by level, never recursively (the nesting was bounded before the schema ran).
    let level: Array<{ entry: FolderEntry; place: string; path: string }> = d.Folders.map((entry, j) => ({ entry, place: `${at}.Folders.${j}`, path: '' }));
    await checkAccounts(d.Accounts, at);
    while (level.length > 0) {
      const next: typeof level = [];
      for (const { entry, place, path } of level) {
        const folderPath = `${path}/${checkFolderName(entry.FolderName)}`;
        if (folderPaths.has(folderPath)) throw invalidState(`${place}: folder ${folderPath} appears twice in the directory.`);
        folderPaths.add(folderPath);
        shaped(entry.FolderId, idPatterns.folder, place, 'FolderId', 'folder ID (fd- and 10 letters or digits)');
        if (entry.Tags) tagsToWrite(tagParams(entry.Tags));
        await checkAccounts(entry.Accounts ?? [], place);
        for (const [j, sub] of (entry.Folders ?? []).entries()) next.push({ entry: sub, place: `${place}.Folders.${j}`, path: folderPath });
        await turn();
      }
      level = next;
    }

    const contactNames = new Set<string>();
    for (const [j, c] of d.Contacts.entries()) {
      const where = `${at}.Contacts.${j}`;
      const name = checkName(c.Name);
      if (contactNames.has(name)) throw invalidState(`${where}: contact ${name} appears twice in the directory.`);
      contactNames.add(name);
      shaped(c.ContactId, idPatterns.contact, where, 'ContactId', 'contact ID (c- and 16 letters or digits)');
      for (const address of [c.EmailAddress, c.PendingEmailAddress]) if (address !== undefined) checkEmail(address);
      for (const phone of [c.PhoneNumber, c.PendingPhoneNumber]) if (phone !== undefined) checkPhone(phone);
      const members = new Set(c.Members);
      if (members.size > LIMITS.bindingsPerContact) throw errors.contactMembersLimit();
      for (const ref of members) {
        if (!folderPaths.has(ref) && !displayNames.has(ref) && memberKindOf(ref) === null) {
          throw invalidState(`Members of contact ${name}: "${ref}" names no folder, account or directory.`);
        }
      }
      await turn();
    }
  }
}
