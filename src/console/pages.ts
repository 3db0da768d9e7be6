import { escapeHtml as e } from '../domain/html.js';
import type { Services } from '../services/index.js';
import { OVERVIEW_ACCOUNTS, OVERVIEW_JOBS, type FolderNode } from '../services/overview.js';

/**
 * The web console's pages: server-rendered HTML with one inline style sheet, no scripts and
 * no external assets, so nothing is built and nothing is fetched from anywhere else.
 * Every link and form stays under /_rdmc/console (filters are plain GET forms).
 */

export const CONSOLE = '/_rdmc/console';

type Directories = Awaited<ReturnType<Services['overview']['directories']>>;
type ContactDetail = NonNullable<Awaited<ReturnType<Services['overview']['contact']>>>;
type MessageCenter = Awaited<ReturnType<Services['messageCenters']['read']>>;
type Outbox = Awaited<ReturnType<Services['outbox']['list']>>['Messages'];
type Jobs = Awaited<ReturnType<Services['overview']['jobs']>>;

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; line-height: 1.45; }
  header { background: #12355b; color: #fff; padding: 0.6rem 1.2rem; display: flex; gap: 1.5rem; align-items: baseline; }
  header a { color: #fff; } header strong { font-size: 1.1rem; }
  main { padding: 0.5rem 1.2rem 2rem; max-width: 80rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.92rem; }
  th, td { border-bottom: 1px solid #d8dde3; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
  th { background: #f1f4f7; }
  code, .id { font-family: ui-monospace, monospace; font-size: 0.85rem; }
  ul.tree, ul.tree ul { list-style: none; padding-left: 1.2rem; margin: 0.2rem 0; }
  .status-Active { color: #137333; } .status-Verifying { color: #b06000; } .status-Deleting, .failed { color: #b3261e; }
  .muted { color: #5f6368; }
  form.filter { display: flex; gap: 0.5rem; align-items: end; margin: 0.5rem 0; }
  a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f4b400; outline-offset: 2px; }
`;

export function layout(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - rdmc console</title>
<style>${STYLE}</style>
</head>
<body>
<header><strong>rdmc</strong>
<nav aria-label="Console"><a href="${CONSOLE}">Directory</a> · <a href="${CONSOLE}/outbox">Outbox</a> · <a href="${CONSOLE}/jobs">Jobs</a></nav>
</header>
<main>
<h1>${e(title)}</h1>
${content}
</main>
</body>
</html>`;
}

const accountLink = (id: string, text = id) => `<a href="${CONSOLE}/accounts/${e(id)}">${e(text)}</a>`;
const contactLink = (id: string, text: string) => `<a href="${CONSOLE}/contacts/${e(id)}">${e(text)}</a>`;
/** A binding target: an account links to its message center, a folder or the directory to its place in the tree. */
const targetLink = (id: string) => (/^\d{16}$/.test(id) ? accountLink(id) : `<a class="id" href="${CONSOLE}#${e(id)}">${e(id)}</a>`);
const list = (items: string[]) => (items.length ? items.join(', ') : '<span class="muted">none</span>');
const orNone = (text: string) => (text ? e(text) : '<span class="muted">none</span>');

function tree(folder: FolderNode): string {
  const accounts = folder.Accounts.map((a) => `<li>${accountLink(a.AccountId, a.DisplayName)} <span class="id muted">${e(a.AccountId)}</span></li>`);
  const folders = folder.Folders.map((f) => `<li>${tree(f)}</li>`);
  return `<span id="${e(folder.FolderId)}"><strong>${e(folder.FolderName)}</strong> <span class="id muted">${e(folder.FolderId)}</span></span>
<ul class="tree">${[...folders, ...accounts].join('')}</ul>`;
}

export function directoryPage(directories: Directories): string {
  if (directories.length === 0) return layout('Directory', '<p>No configured account has a resource directory yet (EnableResourceDirectory).</p>');
  const sections = directories.map((d) => {
    const shown = d.AccountCount > OVERVIEW_ACCOUNTS ? `<p class="muted">The first ${OVERVIEW_ACCOUNTS} of ${d.AccountCount} accounts to join.</p>` : '';
    const rows = d.Contacts.map(
      (c) => `<tr>
<td>${contactLink(c.ContactId, c.Name)}</td>
<td class="status-${e(c.Status)}">${e(c.Status)}</td>
<td>${orNone(c.VerifiedEmailAddress)}<br>${orNone(c.VerifiedPhoneNumber)}</td>
<td>${orNone(c.PendingEmailAddress)}<br>${orNone(c.PendingPhoneNumber)}</td>
<td>${list(c.Members.map(targetLink))}</td>
</tr>`,
    );
    return `<section aria-labelledby="${e(d.ResourceDirectoryId)}-title">
<h2 id="${e(d.ResourceDirectoryId)}-title">Resource directory <span class="id" id="${e(d.ResourceDirectoryId)}">${e(d.ResourceDirectoryId)}</span></h2>
<p>Management account ${accountLink(d.MasterAccountId)}; ${d.AccountCount} accounts.</p>
<h3>Folders and accounts</h3>
${shown}
<ul class="tree"><li>${tree(d.Root)}</li></ul>
<h3>Contacts</h3>
<table><thead><tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Verified</th><th scope="col">Pending</th><th scope="col">Bindings</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="5" class="muted">No contacts.</td></tr>'}</tbody></table>
</section>`;
  });
  return layout('Directory', sections.join('\n'));
}

export function contactPage(d: ContactDetail): string {
  const c = d.Contact;
  const centers = d.MessageCenters.map(
    (m) => `<tr><td>${accountLink(m.AccountId)}</td><td>${e(m.Source)}</td><td>${list(m.Via.map(targetLink))}</td></tr>`,
  );
  return layout(
    `Contact ${c.Name}`,
    `<dl>
<dt>ContactId</dt><dd class="id">${e(c.ContactId)}</dd>
<dt>Status</dt><dd class="status-${e(c.Status)}">${e(c.Status)}</dd>
<dt>Title</dt><dd>${e(c.Title)}</dd>
<dt>Message types</dt><dd>${list(c.MessageTypes.map(e))}</dd>
<dt>Verified</dt><dd>${orNone(c.VerifiedEmailAddress)} · ${orNone(c.VerifiedPhoneNumber)}</dd>
<dt>Pending verification</dt><dd>${orNone(c.PendingEmailAddress)} · ${orNone(c.PendingPhoneNumber)} (<a href="${CONSOLE}/outbox?To=${encodeURIComponent(c.PendingEmailAddress || c.EmailAddress)}">its messages</a>)</dd>
<dt>Bindings</dt><dd>${list(c.Members.map(targetLink))}</dd>
</dl>
<h2>Message centers it is in</h2>
<table><thead><tr><th scope="col">Account</th><th scope="col">Source</th><th scope="col">Via</th></tr></thead>
<tbody>${centers.join('') || '<tr><td colspan="3" class="muted">None yet (bindings reach message centers in the background).</td></tr>'}</tbody></table>`,
  );
}

export function messageCenterPage(m: MessageCenter): string {
  const rows = m.Contacts.map(
    (c) => `<tr><td>${contactLink(c.ContactId, c.Name)}</td><td>${orNone(c.EmailAddress)}<br>${orNone(c.PhoneNumber)}</td>
<td>${list(c.MessageTypes.map(e))}</td><td>${e(c.Source)}</td><td>${list(c.Via.map(targetLink))}</td></tr>`,
  );
  return layout(
    `Message center of ${m.AccountId}`,
    `<p>The owner receives: ${list(m.Owner.MessageTypes.map(e))}.</p>
<table><thead><tr><th scope="col">Contact</th><th scope="col">Verified addresses</th><th scope="col">Message types</th><th scope="col">Source</th><th scope="col">Via</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="5" class="muted">No contacts.</td></tr>'}</tbody></table>`,
  );
}

export function outboxPage(messages: Outbox, filter: { to: string; messageId: string }): string {
  const rows = messages.map(
    (m) => `<tr><td>${e(m.CreatedAt)}</td><td>${e(m.Channel)}</td><td>${e(m.To)}</td><td>${e(m.Subject)}</td>
<td class="${m.Delivery === 'failed' ? 'failed' : ''}">${e(m.Delivery)}${m.LastError ? `<br><span class="failed">${e(m.LastError)}</span>` : ''}</td>
<td>${m.Link ? `<a href="${e(m.Link)}">Open verification link</a>` : ''}</td><td class="id">${e(m.MessageId)}</td></tr>`,
  );
  return layout(
    'Outbox',
    `<form class="filter" method="get" action="${CONSOLE}/outbox" role="search">
<label>To<br><input name="To" value="${e(filter.to)}"></label>
<label>MessageId<br><input name="MessageId" value="${e(filter.messageId)}"></label>
<button type="submit">Filter</button> <a href="${CONSOLE}/outbox">All</a>
</form>
<table><thead><tr><th scope="col">Created</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Delivery</th><th scope="col">Link</th><th scope="col">MessageId</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7" class="muted">No messages.</td></tr>'}</tbody></table>`,
  );
}

export function jobsPage(jobs: Jobs): string {
  const rows = jobs.map(
    (j) => `<tr><td>${j.JobId}</td><td>${e(j.Kind)}</td><td>${j.ContactId ? contactLink(j.ContactId, j.ContactId) : ''}</td>
<td class="${j.State === 'failed' ? 'failed' : ''}">${e(j.State)}${j.Held ? ' (held)' : ''}</td><td>${j.Attempts}</td><td>${e(j.RunAt)}</td>
<td class="failed">${j.LastError ? e(j.LastError) : ''}</td></tr>`,
  );
  return layout(
    'Jobs',
    `${jobs.length >= OVERVIEW_JOBS ? `<p class="muted">The newest ${OVERVIEW_JOBS} jobs, newest first.</p>` : ''}
<table><thead><tr><th scope="col">Job</th><th scope="col">Kind</th><th scope="col">Contact</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Runs at</th><th scope="col">Last error</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7" class="muted">No jobs waiting or failed.</td></tr>'}</tbody></table>`,
  );
}
