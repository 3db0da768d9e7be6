import { escapeHtml as e } from '../domain/html.js';
import type { OutboxRecord } from '../storage/records.js';
import type { Services } from '../services/index.js';
import { addresses, contactLink, directoryCrumb, folderHref, href, idText, layout, link, list, named, orNone, accountLink } from './pages.js';

/** The pages of one object: a contact, an account with its message center, a message with its deliveries. */

type ContactDetail = NonNullable<Awaited<ReturnType<Services['overview']['contact']>>>;
type AccountDetail = Awaited<ReturnType<Services['overview']['account']>>;

/** What GetMessageContactDeletionStatus says, with the failed accounts named. */
function deletionStatus(d: ContactDetail): string {
  if (!d.Deletion) return '<p>Never deleted (GetMessageContactDeletionStatus has no status for it).</p>';
  const rows = d.Deletion.FailReasonList.map(
    (r) => `<tr><td>${named(d.ResourceDirectoryId, r.AccountId, d.Names)}</td><td>${list(r.MessageTypes.map(e))}</td></tr>`,
  );
  const more = d.Deletion.FailReasonCount > rows.length ? `<p class="muted">The first ${rows.length} of ${d.Deletion.FailReasonCount} fail reasons.</p>` : '';
  return `<p>Status <strong class="${d.Deletion.Status === 'Failed' ? 'failed' : ''}">${e(d.Deletion.Status)}</strong>${
    d.Deletion.Status === 'Failed' ? ': the contact stays bound where it would have left an account with no recipient for these message types.' : '.'
  }</p>
${rows.length ? `<table><caption class="muted">Fail reasons</caption><thead><tr><th scope="col">Account</th><th scope="col">Message types with no other recipient</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}` : ''}`;
}

export function contactPage(d: ContactDetail): string {
  const c = d.Contact;
  const via = (ids: string[]) => list(ids.map((id) => named(d.ResourceDirectoryId, id, d.Names)));
  const centers = d.MessageCenters.map((m) => `<tr><td>${named(d.ResourceDirectoryId, m.AccountId, d.Names)}</td><td>${e(m.Source)}</td><td>${via(m.Via)}</td></tr>`);
  const outbox = href('/outbox', { To: c.pendingEmailAddress || c.emailAddress });
  return layout(
    `Contact ${c.name}`,
    `<dl>
<dt>ContactId</dt><dd class="id">${e(c.id)}</dd>
<dt>Status</dt><dd class="status-${e(c.status)}">${e(c.status)}</dd>
<dt>Title</dt><dd>${e(c.title)}</dd>
<dt>Message types</dt><dd>${list(c.messageTypes.map(e))}</dd>
<dt>Addresses</dt><dd>${addresses(c)}${c.emailAddress ? ` ${link(outbox, 'Messages to its email address')}` : ''}</dd>
<dt>Bindings</dt><dd>${via(c.members)}</dd>
</dl>
<h2>Deletion</h2>
${deletionStatus(d)}
<h2>Message centers it is in</h2>
<table><thead><tr><th scope="col">Account</th><th scope="col">Source</th><th scope="col">Via</th></tr></thead>
<tbody>${centers.join('') || '<tr><td colspan="3" class="muted">None yet (bindings reach message centers in the background).</td></tr>'}</tbody></table>`,
    [directoryCrumb(d.ResourceDirectoryId), { label: `Contact ${c.name}` }],
  );
}

export function accountPage(a: AccountDetail): string {
  const via = (ids: string[]) => list(ids.map((id) => named(a.ResourceDirectoryId, id, a.Names)));
  const rows = a.Contacts.map(
    (c) => `<tr><td>${contactLink(c.ContactId, c.Name)}</td><td>${orNone(c.EmailAddress)}<br>${orNone(c.PhoneNumber)}</td>
<td>${list(c.MessageTypes.map(e))}</td><td>${e(c.Source)}</td><td>${via(c.Via)}</td></tr>`,
  );
  return layout(
    `Message center of ${a.DisplayName}`,
    `<dl>
<dt>Account ID</dt><dd class="id">${e(a.AccountId)}</dd>
<dt>Account name</dt><dd>${e(a.AccountName)}</dd>
<dt>Folder</dt><dd>${named(a.ResourceDirectoryId, a.Folder.Id, a.Names)}</dd>
<dt>The owner receives</dt><dd>${list(a.Owner.MessageTypes.map(e))}</dd>
<dt>Control policies</dt><dd>${link(href(`/accounts/${a.AccountId}/guardrails`), 'Effective policies, and try an action')}</dd>
</dl>
<h2>Contacts</h2>
<table><thead><tr><th scope="col">Contact</th><th scope="col">Verified addresses</th><th scope="col">Message types</th><th scope="col">Source</th><th scope="col">Via</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="5" class="muted">No contacts.</td></tr>'}</tbody></table>`,
    [
      directoryCrumb(a.ResourceDirectoryId),
      ...a.Path.map((f) => ({ label: f.Name, href: folderHref(a.ResourceDirectoryId, f.FolderId) })),
      { label: a.DisplayName },
    ],
  );
}

const time = (ms: number | null) => (ms === null ? '<span class="muted">not yet</span>' : e(new Date(ms).toISOString()));

export function messagePage(copies: OutboxRecord[]): string {
  const first = copies[0]!;
  const rows = copies.map(
    (m) => `<tr><td>${e(m.to)}</td><td class="${m.delivery === 'failed' ? 'failed' : ''}">${e(m.delivery)}</td><td>${m.attempts}</td>
<td>${time(m.deliveredAt)}</td><td class="failed">${m.lastError ? e(m.lastError) : ''}</td>
<td>${m.contactId ? contactLink(m.contactId, m.contactId) : ''}${m.accountId ? ` ${accountLink(m.accountId)}` : ''}</td></tr>`,
  );
  return layout(
    `Message ${first.subject}`,
    `<dl>
<dt>MessageId</dt><dd class="id">${e(first.messageId)}</dd>
<dt>Channel</dt><dd>${e(first.channel)}</dd>
<dt>Created</dt><dd>${time(first.createdAt)}</dd>
<dt>Subject</dt><dd>${e(first.subject)}</dd>
<dt>Link</dt><dd>${first.link ? `<a href="${e(first.link)}">Open verification link</a> ${idText(first.link)}` : '<span class="muted">none</span>'}</dd>
</dl>
<h2>Body</h2>
<pre>${e(first.body)}</pre>
<h2>Deliveries</h2>
<table><thead><tr><th scope="col">To</th><th scope="col">Outcome</th><th scope="col">Attempts</th><th scope="col">Delivered</th><th scope="col">Last error</th><th scope="col">For</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`,
    [{ label: 'Outbox', href: href('/outbox') }, { label: first.messageId }],
  );
}
