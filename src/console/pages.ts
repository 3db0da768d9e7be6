import { escapeHtml as e } from '../domain/html.js';
import type { Named } from '../services/console-names.js';
import type { Services } from '../services/index.js';
import { isRedrivable } from '../jobs/kinds.js';
import { COUNT_CAP, OVERVIEW_JOBS } from '../services/overview.js';

/**
 * The web console's frame and shared parts: server-rendered HTML with one inline style
 * sheet, no scripts and no external assets, so nothing is built and nothing is fetched from
 * anywhere else. Every link and form stays under /_rdmc/console (filters are plain GET forms).
 * The directory's pages are in directory-pages.ts, the detail pages in detail-pages.ts.
 */

export const CONSOLE = '/_rdmc/console';

/** The header's links, in order: a new console page adds its entry here. */
export const NAV: ReadonlyArray<{ path: string; label: string }> = [
  { path: '', label: 'Directory' },
  { path: '/accounts', label: 'Accounts' },
  { path: '/outbox', label: 'Outbox' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/audit', label: 'Audit' },
  { path: '/identities', label: 'Identities' },
];

/** One step of a page's breadcrumb trail; the last is the page itself and has no link. */
export interface Crumb {
  label: string;
  href?: string;
}

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
  details > summary { cursor: pointer; } details[open] > summary { margin-bottom: 0.2rem; }
  ol.crumbs { list-style: none; display: flex; flex-wrap: wrap; gap: 0.3rem; padding: 0; margin: 0.6rem 0 0; font-size: 0.92rem; }
  ol.crumbs li + li::before { content: "/"; color: #5f6368; margin-right: 0.3rem; }
  ul.addresses { list-style: none; padding: 0; margin: 0; }
  dt { font-weight: 600; } dd { margin: 0 0 0.4rem 1.2rem; }
  .label { color: #5f6368; font-size: 0.85rem; }
  .state-verified { color: #137333; } .state-pending { color: #b06000; }
  .status-Active { color: #137333; } .status-Verifying { color: #b06000; } .status-Deleting, .failed { color: #b3261e; }
  .muted { color: #5f6368; }
  form.filter { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0; }
  nav.pages { display: flex; gap: 1rem; margin: 0.5rem 0 1.5rem; }
  form.action { display: inline; margin-left: 0.5rem; }
  a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f4b400; outline-offset: 2px; }
`;

/** A page: the header with the console's links, the breadcrumb trail (the page's title when none is given), the title and the content. */
export function layout(title: string, content: string, crumbs: Crumb[] = [{ label: title }]): string {
  const nav = NAV.map((n) => `<a href="${CONSOLE}${n.path}">${e(n.label)}</a>`).join(' · ');
  const trail = [{ label: 'Console', href: CONSOLE }, ...crumbs].map((c, i, all) =>
    i === all.length - 1 ? `<li><span aria-current="page">${e(c.label)}</span></li>` : `<li><a href="${e(c.href ?? CONSOLE)}">${e(c.label)}</a></li>`,
  );
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
<nav aria-label="Console">${nav}</nav>
</header>
<main>
<nav aria-label="Breadcrumb"><ol class="crumbs">${trail.join('')}</ol></nav>
<h1>${e(title)}</h1>
${content}
</main>
</body>
</html>`;
}

/** A console address with its query; empty values are left out. */
export function href(path: string, query: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const text = q.toString();
  return `${CONSOLE}${path}${text ? `?${text}` : ''}`;
}

export const link = (url: string, text: string) => `<a href="${e(url)}">${e(text)}</a>`;
export const idText = (id: string) => `<span class="id muted">${e(id)}</span>`;
export const accountLink = (id: string, text = id) => link(href(`/accounts/${id}`), text);
export const contactLink = (id: string, text: string) => link(href(`/contacts/${id}`), text);
export const folderHref = (directoryId: string, folderId: string) => href(`/folders/${folderId}`, { Directory: directoryId });
export const directoryCrumb = (directoryId: string): Crumb => ({ label: `Resource directory ${directoryId}`, href: href('', { Directory: directoryId }) });
export const list = (items: string[]) => (items.length ? items.join(', ') : '<span class="muted">none</span>');
export const orNone = (text: string) => (text ? e(text) : '<span class="muted">none</span>');
/** A member count as the console reads it: up to COUNT_CAP exactly, past it a lower bound. */
export const accountCount = (n: number) => (n > COUNT_CAP ? `${COUNT_CAP.toLocaleString('en')}+ accounts` : `${n.toLocaleString('en')} account${n === 1 ? '' : 's'}`);

/** An ID with its name: an account's display name or a folder's path, linked to its page; the ID beside it. */
export function named(directoryId: string, id: string, names: Map<string, Named>): string {
  const n = names.get(id);
  switch (n?.Kind) {
    case 'account':
      return `${accountLink(id, n.Name)} ${idText(id)}`;
    case 'folder':
      return `${link(folderHref(directoryId, id), n.Name)} ${idText(id)}`;
    case 'directory':
      return `${link(href('', { Directory: directoryId }), n.Name)} ${idText(id)}`;
    default:
      return `<span class="id">${e(id)}</span> <span class="muted">(no longer in the directory)</span>`;
  }
}

/** Email and phone, each labelled and marked verified or waiting for its link. */
export function addresses(c: { verifiedEmailAddress: string; verifiedPhoneNumber: string; pendingEmailAddress: string; pendingPhoneNumber: string }): string {
  const entries = [
    ['Email', c.verifiedEmailAddress, 'verified'],
    ['Email', c.pendingEmailAddress, 'pending'],
    ['Phone', c.verifiedPhoneNumber, 'verified'],
    ['Phone', c.pendingPhoneNumber, 'pending'],
  ].filter(([, value]) => value);
  if (entries.length === 0) return '<span class="muted">none</span>';
  const items = entries.map(
    ([label, value, state]) =>
      `<li><span class="label">${label}</span> ${e(value!)} <span class="state-${state}">(${state === 'pending' ? 'pending verification' : 'verified'})</span></li>`,
  );
  return `<ul class="addresses">${items.join('')}</ul>`;
}

/** A redrive button (docs/operations.md, Redrive): a POST form to `action` (below /_rdmc/console) carrying the CSRF field (src/console/csrf.ts). */
const actionButton = (action: string, label: string, csrf: string) =>
  `<form class="action" method="post" action="${CONSOLE}${e(action)}">${csrf}<button type="submit">${e(label)}</button></form>`;

/** `csrf`: the caller's CSRF field for the Retry buttons; `notice`: what the last button did. */
export function outboxPage(messages: Outbox, filter: { to: string; messageId: string }, csrf: string, notice = ''): string {
  const rows = messages.map(
    (m) => `<tr><td>${e(m.CreatedAt)}</td><td>${e(m.Channel)}</td><td>${e(m.To)}</td><td>${e(m.Subject)}</td>
<td class="${m.Delivery === 'failed' ? 'failed' : ''}">${e(m.Delivery)}${m.Delivery === 'failed' ? actionButton(`/outbox/${encodeURIComponent(m.DeliveryId)}/retry`, 'Retry', csrf) : ''}${m.LastError ? `<br><span class="failed">${e(m.LastError)}</span>` : ''}</td>
<td>${m.Link ? `<a href="${e(m.Link)}">Open verification link</a>` : ''}</td><td class="id">${link(href(`/messages/${encodeURIComponent(m.MessageId)}`), m.MessageId)}</td></tr>`,
  );
  return layout(
    'Outbox',
    `${notice}<form class="filter" method="get" action="${CONSOLE}/outbox" role="search">
<label>To<br><input name="To" value="${e(filter.to)}"></label>
<label>MessageId<br><input name="MessageId" value="${e(filter.messageId)}"></label>
<button type="submit">Filter</button> <a href="${CONSOLE}/outbox">All</a>
</form>
${actionButton('/outbox/retry', 'Retry all failed deliveries', csrf)}
<table><thead><tr><th scope="col">Created</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Delivery</th><th scope="col">Link</th><th scope="col">MessageId</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7" class="muted">No messages.</td></tr>'}</tbody></table>`,
  );
}

/** `csrf` and `notice` as for the outbox page; a failed job of a kind that can run again has its Retry button. */
export function jobsPage(jobs: Jobs, csrf: string, notice = ''): string {
  const rows = jobs.map(
    (j) => `<tr><td>${j.JobId}</td><td>${e(j.Kind)}</td><td>${j.ContactId ? contactLink(j.ContactId, j.ContactId) : ''}</td>
<td class="${j.State === 'failed' ? 'failed' : ''}">${e(j.State)}${j.Held ? ' (held)' : ''}${j.State === 'failed' && isRedrivable(j.Kind) ? actionButton(`/jobs/${j.JobId}/retry`, 'Retry', csrf) : ''}</td>
<td>${j.Attempts}${j.Redrives ? ` <span class="muted">(retried ${j.Redrives}×, ${j.PriorAttempts} attempts before)</span>` : ''}</td><td>${e(j.RunAt)}</td>
<td class="failed">${j.LastError ? e(j.LastError) : ''}</td></tr>`,
  );
  return layout(
    'Jobs',
    `${notice}${jobs.length >= OVERVIEW_JOBS ? `<p class="muted">The newest ${OVERVIEW_JOBS} jobs, newest first.</p>` : ''}
${actionButton('/jobs/retry', 'Retry all failed jobs', csrf)}
<table><thead><tr><th scope="col">Job</th><th scope="col">Kind</th><th scope="col">Contact</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Runs at</th><th scope="col">Last error</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7" class="muted">No jobs waiting or failed.</td></tr>'}</tbody></table>`,
  );
}
