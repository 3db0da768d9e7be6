import { escapeHtml as e } from '../domain/html.js';
import type { Named } from '../services/console-names.js';
import type { Services } from '../services/index.js';
import { CONTACTS_PAGE, MAX_ACCOUNTS_PAGE, TREE_FOLDERS } from '../services/overview.js';
import {
  accountCount,
  accountLink,
  addresses,
  CONSOLE,
  contactLink,
  directoryCrumb,
  folderHref,
  href,
  idText,
  layout,
  link,
  list,
  named,
  type Crumb,
} from './pages.js';

/**
 * The pages of one resource directory: its contacts and folder tree, a folder, and the
 * account search. Every page is one directory's (the switcher picks it, `?Directory=`), and
 * reads a bounded page: folders a page of children at a time, accounts a keyset page at a time.
 */

type Overview = Services['overview'];
type Directories = Awaited<ReturnType<Overview['directories']>>;
type Summary = Awaited<ReturnType<Overview['directorySummary']>>;
type Folder = Awaited<ReturnType<Overview['folder']>>;
type Tree = Summary['Tree'];
type Search = Awaited<ReturnType<Overview['searchAccounts']>>;
type Contact = Summary['Contacts'][number];

/** The switcher: a plain GET form, so the choice is in the address and a bookmark keeps it. */
function switcher(directories: Directories, chosen: string, path: string): string {
  if (directories.length < 2) return '';
  const options = directories.map(
    (d) =>
      `<option value="${e(d.ResourceDirectoryId)}"${d.ResourceDirectoryId === chosen ? ' selected' : ''}>${e(d.ResourceDirectoryId)} (management account ${e(d.MasterAccountName)}, ${e(d.MasterAccountId)})</option>`,
  );
  return `<form class="filter" method="get" action="${CONSOLE}${path}">
<label>Resource directory<br><select name="Directory">${options.join('')}</select></label>
<button type="submit">Show</button>
</form>`;
}

/** The account search form, for one directory. */
function searchForm(directoryId: string, text = '', by = ''): string {
  const option = (value: string, label: string) => `<option value="${value}"${by === value ? ' selected' : ''}>${label}</option>`;
  return `<form class="filter" method="get" action="${CONSOLE}/accounts" role="search">
<input type="hidden" name="Directory" value="${e(directoryId)}">
<label>Display name or account ID starts with<br><input name="Search" value="${e(text)}" required maxlength="128"></label>
<label>Search by<br><select name="By">${option('', 'Either (digits: account ID)')}${option('name', 'Display name')}${option('id', 'Account ID')}</select></label>
<button type="submit">Search accounts</button>
</form>`;
}

function deletionState(directoryId: string, c: Contact, names: Summary['Names']): string {
  const d = c.Deletion;
  if (!d) return '';
  const reasons = d.FailReasonList.map((r) => `<li>${named(directoryId, r.AccountId, names)}: no recipient for ${list(r.MessageTypes.map(e))}</li>`);
  const more = d.FailReasonCount > d.FailReasonList.length ? `<li class="muted">and ${d.FailReasonCount - d.FailReasonList.length} more</li>` : '';
  return `<br><span class="${d.Status === 'Failed' ? 'failed' : ''}">Deletion ${e(d.Status.toLowerCase())}</span>${reasons.length ? `<ul>${reasons.join('')}${more}</ul>` : ''}`;
}

/** A folder's subfolders: those with subfolders of their own open and close (`<details>`), the first of theirs inside. */
function tree(directoryId: string, t: Tree, path: string, query: Record<string, string>): string {
  const items = t.Folders.map((f) => {
    const open = link(folderHref(directoryId, f.FolderId), f.Name);
    const facts = `<span class="muted">${accountCount(f.Accounts)}${f.Subfolders ? ` · ${f.Subfolders} subfolder${f.Subfolders === 1 ? '' : 's'}` : ''}</span>`;
    if (f.Subfolders === 0) return `<li>${open} ${facts} ${idText(f.FolderId)}</li>`;
    const preview = f.Preview.map((p) => `<li>${link(folderHref(directoryId, p.FolderId), p.Name)} ${idText(p.FolderId)}</li>`);
    const rest = f.Subfolders > f.Preview.length ? `<li>${link(folderHref(directoryId, f.FolderId), `All ${f.Subfolders} subfolders of ${f.Name}`)}</li>` : '';
    return `<li><details><summary>${e(f.Name)} ${facts}</summary>
<p>${open} ${idText(f.FolderId)}</p>
<ul class="tree">${preview.join('')}${rest}</ul>
</details></li>`;
  });
  const pages = [
    t.After ? link(href(path, query), 'First folders') : '',
    t.Next ? link(href(path, { ...query, FoldersAfter: t.Next }), `Next folders (${t.Remaining} more)`) : '',
  ].filter(Boolean);
  return `<ul class="tree">${items.join('') || '<li class="muted">No subfolders.</li>'}</ul>
${pages.length ? `<nav class="pages" aria-label="Folder pages">${pages.join('')}</nav>` : ''}`;
}

export function directoryPage(directories: Directories, d: Summary): string {
  const rows = d.Contacts.map(
    (c) => `<tr>
<td>${contactLink(c.id, c.name)}</td>
<td><span class="status-${e(c.status)}">${e(c.status)}</span>${deletionState(d.ResourceDirectoryId, c, d.Names)}</td>
<td>${addresses(c)}</td>
<td>${list(c.members.map((m) => named(d.ResourceDirectoryId, m, d.Names)))}</td>
</tr>`,
  );
  const contactPages = [
    d.ContactsFrom > 0 ? link(href('', { Directory: d.ResourceDirectoryId }), 'First contacts') : '',
    d.ContactsFrom + CONTACTS_PAGE < d.ContactCount ? link(href('', { Directory: d.ResourceDirectoryId, Contacts: d.ContactsFrom + CONTACTS_PAGE }), 'Next contacts') : '',
  ].filter(Boolean);
  const shown = d.ContactCount > d.Contacts.length ? `<p class="muted">Contacts ${d.ContactsFrom + 1} to ${d.ContactsFrom + d.Contacts.length} of ${d.ContactCount}.</p>` : '';
  return layout(
    `Resource directory ${d.ResourceDirectoryId}`,
    `${switcher(directories, d.ResourceDirectoryId, '')}
<p>Management account ${accountLink(d.MasterAccountId, d.MasterAccountName)} ${idText(d.MasterAccountId)}; ${d.AccountCount.toLocaleString('en')} accounts, ${d.ContactCount} contacts.</p>
${searchForm(d.ResourceDirectoryId)}
<h2 id="contacts">Contacts</h2>
${shown}
<table aria-labelledby="contacts"><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Addresses</th><th scope="col">Bindings</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="4" class="muted">No contacts.</td></tr>'}</tbody></table>
${contactPages.length ? `<nav class="pages" aria-label="Contact pages">${contactPages.join('')}</nav>` : ''}
<h2>Folders</h2>
<p>${link(folderHref(d.ResourceDirectoryId, d.RootFolderId), 'Root')} ${idText(d.RootFolderId)}: ${accountCount(d.Tree.Accounts)} directly; up to ${TREE_FOLDERS} subfolders a page.</p>
${tree(d.ResourceDirectoryId, d.Tree, '', { Directory: d.ResourceDirectoryId })}`,
    [{ label: `Resource directory ${d.ResourceDirectoryId}` }],
  );
}

/** Links to the first and the next page of accounts. */
function accountPages(next: string | null, after: string | null, query: Record<string, string>, path: string): string {
  const pages = [
    after ? link(href(path, query), 'First page') : '',
    next ? link(href(path, { ...query, After: next }), 'Next page') : '',
  ].filter(Boolean);
  return pages.length ? `<nav class="pages" aria-label="Account pages">${pages.join('')}</nav>` : '';
}

function accountTable(accounts: Search['Accounts'], withFolder: boolean, directoryId: string, names: Map<string, Named>): string {
  const rows = accounts.map(
    (a) => `<tr><td>${accountLink(a.AccountId, a.DisplayName)}</td><td class="id">${e(a.AccountId)}</td>${withFolder ? `<td>${a.Folder ? named(directoryId, a.Folder.Id, names) : ''}</td>` : ''}</tr>`,
  );
  const columns = `<th scope="col">Display name</th><th scope="col">Account ID</th>${withFolder ? '<th scope="col">Folder</th>' : ''}`;
  return `<table><thead><tr>${columns}</tr></thead>
<tbody>${rows.join('') || `<tr><td colspan="${withFolder ? 3 : 2}" class="muted">No accounts.</td></tr>`}</tbody></table>`;
}

export function folderPage(f: Folder, after: string | null, pageSize: number): string {
  const here = f.Path.at(-1)!;
  const crumbs: Crumb[] = [
    directoryCrumb(f.ResourceDirectoryId),
    ...f.Path.map((p) => ({ label: p.Name, href: folderHref(f.ResourceDirectoryId, p.FolderId) })),
  ];
  const query = { Directory: f.ResourceDirectoryId, PageSize: String(pageSize) };
  const contacts = f.Contacts.map((c) => contactLink(c.ContactId, c.Name));
  return layout(
    `Folder ${f.Path.map((p) => p.Name).join(' / ')}`,
    `<p>${idText(here.FolderId)}; ${accountCount(f.Tree.Accounts)} directly in it. Contacts bound here: ${list(contacts)}.</p>
<h2>Subfolders</h2>
${tree(f.ResourceDirectoryId, f.Tree, `/folders/${here.FolderId}`, query)}
<h2>Accounts in this folder</h2>
<p class="muted">By account ID, ${pageSize} a page.</p>
${accountTable(f.Accounts.Accounts, false, f.ResourceDirectoryId, new Map())}
${accountPages(f.Accounts.Next, after, query, `/folders/${here.FolderId}`)}`,
    crumbs,
  );
}

/** The search as asked: `by` is what was chosen ('' for either), `s` what was found (null before a search). */
export interface AskedSearch {
  text: string;
  by: string;
  after: string | null;
  pageSize: number;
}

export function accountsPage(directories: Directories, directoryId: string, q: AskedSearch, s: (Search & { By: 'name' | 'id' }) | null): string {
  const crumbs = [directoryCrumb(directoryId), { label: 'Accounts' }];
  const query = { Directory: directoryId, Search: q.text, By: q.by, PageSize: String(q.pageSize) };
  const names = new Map(s?.Accounts.flatMap((a) => (a.Folder ? [[a.Folder.Id, a.Folder] as const] : [])) ?? []);
  const results = s
    ? `<h2>Accounts whose ${s.By === 'name' ? 'display name' : 'account ID'} starts with “${e(q.text)}”</h2>
${accountTable(s.Accounts, true, directoryId, names)}
${accountPages(s.Next, q.after, query, '/accounts')}`
    : `<p class="muted">Search by the start of a display name (letter case counts) or of an account ID; a page holds up to ${MAX_ACCOUNTS_PAGE} accounts. The folders' pages list their accounts.</p>`;
  return layout('Accounts', `${switcher(directories, directoryId, '/accounts')}${searchForm(directoryId, q.text, q.by)}\n${results}`, crumbs);
}
