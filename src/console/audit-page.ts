import type { ShownAuditRecord } from '../audit/query.js';
import { escapeHtml as e } from '../domain/html.js';
import { CONSOLE, layout } from './pages.js';

/** The filters of `GET /_rdmc/audit`, in the order the form shows them. */
const FILTERS = ['StartTime', 'EndTime', 'Action', 'Actor', 'TargetId', 'MaxResults'] as const;

const outcome = (r: ShownAuditRecord) => (r.Result === 'Success' ? 'Success' : `<span class="failed">${r.Status} ${e(r.Code)}</span>`);
const who = (r: ShownAuditRecord) =>
  [e(r.IdentityType), r.AccessKeyId && `<span class="id">${e(r.AccessKeyId)}</span>`, r.AccountId && `account <span class="id">${e(r.AccountId)}</span>`].filter(Boolean).join('<br>');

/**
 * The audit trail, newest first: the same filters and pages as the admin API (a plain GET form,
 * and a link to the next page that keeps them).
 */
export function auditPage(page: { Records: ShownAuditRecord[]; NextToken?: string }, query: URLSearchParams): string {
  const value = (name: string) => e(query.get(name) ?? '');
  const inputs = FILTERS.map((name) => `<label>${name}<br><input name="${name}" value="${value(name)}"${name.endsWith('Time') ? ' placeholder="2026-12-07T00:00:00Z"' : ''}></label>`);
  const result = query.get('Result') ?? '';
  const choice = (v: string, text: string) => `<option value="${v}"${result === v ? ' selected' : ''}>${text}</option>`;
  const rows = page.Records.map(
    (r) => `<tr><td>${e(r.Time)}</td><td>${who(r)}</td><td class="id">${e(r.PeerAddress ?? '')}</td><td>${e(r.Action)}</td>
<td class="id">${r.Targets.map(e).join('<br>')}</td><td>${outcome(r)}</td><td class="id">${e(r.RequestId)}</td></tr>`,
  );
  const next = new URLSearchParams([...query].filter(([name]) => name !== 'NextToken'));
  if (page.NextToken) next.set('NextToken', page.NextToken);
  return layout(
    'Audit trail',
    `<form class="filter" method="get" action="${CONSOLE}/audit" role="search">
${inputs.join('\n')}
<label>Result<br><select name="Result">${choice('', 'Any')}${choice('Success', 'Success')}${choice('Failure', 'Failure')}</select></label>
<button type="submit">Filter</button> <a href="${CONSOLE}/audit">All</a>
</form>
<table><thead><tr><th scope="col">Time</th><th scope="col">Who</th><th scope="col">From</th><th scope="col">Action</th><th scope="col">Targets</th><th scope="col">Result</th><th scope="col">RequestId</th></tr></thead>
<tbody>${rows.join('') || '<tr><td colspan="7" class="muted">No records.</td></tr>'}</tbody></table>
${page.NextToken ? `<p><a href="${CONSOLE}/audit?${e(next.toString())}">Next page</a></p>` : ''}`,
  );
}
