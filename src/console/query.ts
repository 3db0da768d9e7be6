import { ownErrors } from '../domain/errors.js';
import { idPatterns } from '../domain/ids.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';
import { ACCOUNTS_PAGE, MAX_ACCOUNTS_PAGE, type AccountSearch } from '../services/overview.js';

/**
 * The console's query parameters, checked: a bad one is 400 with the parameter's name (the
 * console's error page shows it), never a page built from it. Text parameters are bounded
 * at 128 characters, above a display name's 50 (src/services/members.ts).
 */

const LONGEST_TEXT = 128;
const bad = ownErrors.invalidParameter;

/** A text parameter: absent or empty is null; control characters and overlong values are refused. */
export function text(q: URLSearchParams, name: string): string | null {
  const value = q.get(name);
  if (!value) return null;
  if (CONTROL_CHARACTERS.test(value)) throw ownErrors.controlCharacters(name);
  if (value.length > LONGEST_TEXT) throw bad(name, `${name} must be at most ${LONGEST_TEXT} characters long.`);
  return value;
}

/** `Directory`: null picks the first of the switcher's directories. */
export function directoryParam(q: URLSearchParams): string | null {
  const value = q.get('Directory');
  if (!value) return null;
  if (!idPatterns.directory.test(value)) throw bad('Directory', 'Directory must be a resource directory ID (rd-xxxxxx).');
  return value;
}

/** `After` of a page by account ID. */
export function accountAfter(q: URLSearchParams): string | null {
  const value = q.get('After');
  if (!value) return null;
  if (!idPatterns.account.test(value)) throw bad('After', 'After must be an account ID (16 digits).');
  return value;
}

/** `PageSize`: 1 to MAX_ACCOUNTS_PAGE accounts, ACCOUNTS_PAGE when absent. */
export function pageSize(q: URLSearchParams): number {
  const value = q.get('PageSize');
  if (!value) return ACCOUNTS_PAGE;
  const n = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_ACCOUNTS_PAGE)) throw bad('PageSize', `PageSize must be an integer from 1 to ${MAX_ACCOUNTS_PAGE}.`);
  return n;
}

/** `Contacts`: where a directory's page of contacts starts (an offset the contact quota bounds). */
export function contactsFrom(q: URLSearchParams): number {
  const value = q.get('Contacts');
  if (!value) return 0;
  if (!/^\d{1,5}$/.test(value)) throw bad('Contacts', 'Contacts must be a whole number below 100000.');
  return Number(value);
}

/**
 * The account search: `Search` (the start of a display name or an account ID), `By` (`name`,
 * `id`, or empty: digits search IDs, anything else names), `After`, `PageSize`. Null when
 * nothing is searched.
 */
export function accountSearch(q: URLSearchParams): { asked: { text: string; by: string; after: string | null; pageSize: number }; search: AccountSearch | null } {
  const searched = text(q, 'Search') ?? '';
  const by = q.get('By') ?? '';
  if (!['', 'name', 'id'].includes(by)) throw bad('By', 'By must be name or id.');
  const size = pageSize(q);
  const resolved = by === 'name' || by === 'id' ? by : /^\d+$/.test(searched) ? 'id' : 'name';
  if (resolved === 'id' && searched && !/^\d{1,16}$/.test(searched)) throw bad('Search', 'An account ID search takes up to 16 digits.');
  const after = resolved === 'id' ? accountAfter(q) : text(q, 'After');
  // A name page continues in the range of names the text starts; an ID page filters by it.
  if (resolved === 'name' && after !== null && !after.startsWith(searched)) throw bad('After', 'After must start with the searched text.');
  return {
    asked: { text: searched, by, after, pageSize: size },
    search: searched ? { text: searched, by: resolved, after, pageSize: size } : null,
  };
}
