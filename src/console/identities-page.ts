import type { ConfiguredIdentity } from '../domain/identity.js';
import { escapeHtml as e } from '../domain/html.js';
import { accountLink, layout } from './pages.js';

/**
 * Who the configured keys are (RDMC_ACCESS_KEYS; docs/reference/identity.md): each key's ID,
 * account, identity type, RAM user name and ARN. Never a secret: the page has nothing but the
 * configured identities to show, which hold none.
 */
export function identitiesPage(identities: ConfiguredIdentity[]): string {
  const rows = identities.map(
    (i) => `<tr><td class="id">${e(i.AccessKeyId)}</td><td>${accountLink(i.AccountId)}</td><td>${e(i.IdentityType)}</td>
<td>${i.UserName ? e(i.UserName) : '<span class="muted">(the account itself)</span>'}</td><td class="id">${e(i.Arn)}</td></tr>`,
  );
  return layout(
    'Identities',
    `<p>The access keys this server accepts, from its configuration (<code>RDMC_ACCESS_KEYS</code>). A RAM user's key acts as its
account with full rights and may assume a member's <code>ResourceDirectoryAccountAccessRole</code>; an account's own key may not.
STS sessions are not listed: they are issued by <code>AssumeRole</code> and expire on their own.</p>
<table><thead><tr><th scope="col">AccessKeyId</th><th scope="col">Account</th><th scope="col">Identity type</th><th scope="col">RAM user</th><th scope="col">ARN</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>`,
  );
}
