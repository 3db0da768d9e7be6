import type { z } from 'zod';
import { simulateBody } from '../admin/guardrail-body.js';
import { checkedBody } from '../admin/routes.js';
import { ownErrors } from '../domain/errors.js';
import { escapeHtml as e } from '../domain/html.js';
import { PRINCIPAL_TYPES, type PolicyOutcome, type StatementRef, type TargetRef } from '../domain/policy-evaluation.js';
import type { AccountChain, Simulation } from '../services/guardrails.js';
import { accountLink, CONSOLE, directoryCrumb, href, layout } from './pages.js';

/**
 * An account's guardrails (docs/reference/guardrails.md): the control policies in effect at
 * each level from the account up to the Root, and a form that tries one action against them.
 * The form is a GET: trying an action reads and changes nothing.
 */

type Tried = z.input<typeof simulateBody>;

const PRINCIPAL_LABELS: Record<string, string> = { Account: 'the account itself (root)', RAMUser: 'a RAM user', AssumedRoleUser: 'a role session (RAM role)' };

const where = (t: TargetRef) => `${e(t.kind)} ${e(t.name)} <span class="id">${e(t.id)}</span>`;

/** The form's query as the simulator's body, checked as the admin API checks it; null when no action is asked. */
export function triedAction(q: URLSearchParams, accountId: string): z.output<typeof simulateBody> | null {
  const action = q.get('Action');
  if (!action) return null;
  const context: Record<string, string[]> = {};
  for (const line of (q.get('Context') ?? '').split(/\r?\n/).filter((l) => l.trim() !== '')) {
    const at = line.indexOf('=');
    if (at <= 0) throw ownErrors.invalidParameter('Context', `Each Context line must be KEY=VALUE; "${line.slice(0, 64)}" is not.`);
    (context[line.slice(0, at).trim()] ??= []).push(line.slice(at + 1).trim());
  }
  return checkedBody(simulateBody, {
    AccountId: accountId, PrincipalType: q.get('PrincipalType') ?? 'RAMUser', Action: action.trim(), Resource: q.get('Resource')?.trim() || '*', Context: context,
  });
}

function levelsTable(a: AccountChain): string {
  const rows = a.chain.map((level) => {
    const policies = level.policies.map(
      (p) => `<details><summary>${e(p.name)} <span class="id">${e(p.id)}</span> <span class="label">${e(p.type)}, EffectScope ${e(p.effectScope)}</span></summary><pre>${e(p.document)}</pre></details>`,
    );
    return `<tr><td>${where(level)}</td><td>${policies.join('') || '<span class="muted">none attached</span>'}</td></tr>`;
  });
  return `<table><caption class="muted">From the account up to the Root; a policy applies to everything below the target it is attached to.</caption>
<thead><tr><th scope="col">Level</th><th scope="col">Attached control policies</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The form's context as lines of KEY=VALUE. */
const contextLines = (context: Tried['Context']) =>
  Object.entries(context ?? {}).flatMap(([key, value]) => (typeof value === 'string' ? [value] : value).map((v) => `${key}=${v}`)).join('\n');

function tryForm(accountId: string, tried: Tried | null): string {
  const principal = tried?.PrincipalType ?? 'RAMUser';
  const options = PRINCIPAL_TYPES.map((p) => `<option value="${p}"${p === principal ? ' selected' : ''}>${e(PRINCIPAL_LABELS[p]!)}</option>`).join('');
  return `<form class="filter" method="get" action="${CONSOLE}/accounts/${e(accountId)}/guardrails">
<label>Action<br><input name="Action" required placeholder="ecs:DeleteInstance" value="${e(tried?.Action ?? '')}"></label>
<label>Resource<br><input name="Resource" size="40" value="${e(tried?.Resource ?? '*')}"></label>
<label>Caller<br><select name="PrincipalType">${options}</select></label>
<label>Context (one KEY=VALUE a line)<br><textarea name="Context" rows="2" cols="36" placeholder="acs:SourceIp=10.0.0.1">${e(contextLines(tried?.Context))}</textarea></label>
<button type="submit">Try</button>
</form>`;
}

const statementRow = (s: StatementRef) => `<tr><td>${e(s.policyName)} <span class="id">${e(s.policyId)}</span></td><td>${where(s.target)}</td><td>Statement[${s.index}]</td><td><code>${e(JSON.stringify(s.statement))}</code></td></tr>`;

function outcome(p: PolicyOutcome, principal: string): string {
  if (!p.applies) return `<span class="muted">does not apply to ${e(principal)} (EffectScope ${e(p.effectScope)})</span>`;
  if (p.effect === 'None') return '<span class="muted">no statement matches</span>';
  return `<span class="${p.effect === 'Deny' ? 'failed' : 'state-verified'}">${e(p.effect)}</span> by ${p.matchedStatements.map((i) => `Statement[${i}]`).join(', ')}`;
}

function result(s: Simulation): string {
  const ev = s.evaluation;
  const why = {
    ManagementAccount: 'The management account is not restricted by control policies.',
    NoControlPolicy: 'No control policy applies to this caller anywhere on the chain.',
    AllowedAtEveryLevel: 'Every level that restricts this caller holds an Allow that matches, and no Deny matches.',
    ExplicitDeny: 'A Deny statement matches: Deny wins.',
    NoAllowAtLevel: `No policy attached at ${ev.deniedAt ? where(ev.deniedAt) : ''} allows it.`,
  }[ev.reason];
  const deciding = ev.decidingStatements.length
    ? `<table><caption class="muted">What decided</caption><thead><tr><th scope="col">Policy</th><th scope="col">Attached to</th><th scope="col">Statement</th><th scope="col">Text</th></tr></thead><tbody>${ev.decidingStatements.map(statementRow).join('')}</tbody></table>`
    : '';
  const policies = ev.policies.map((p) => `<tr><td>${e(p.policyName)} <span class="id">${e(p.policyId)}</span></td><td>${where(p.target)}</td><td>${outcome(p, s.request.principalType)}</td></tr>`);
  return `<h2>Decision: <span class="${ev.decision === 'Allowed' ? 'state-verified' : 'failed'}">${e(ev.decision)}</span></h2>
<p>${e(s.request.action)} on <code>${e(s.request.resource)}</code> by ${e(PRINCIPAL_LABELS[s.request.principalType]!)}. ${why}</p>
${s.controlPolicyStatus === 'Enabled' ? '' : '<p class="muted">Control policies are disabled in this directory: rdmc enforces nothing until EnableControlPolicy.</p>'}
${deciding}
<table><caption class="muted">Every policy on the chain</caption><thead><tr><th scope="col">Policy</th><th scope="col">Attached to</th><th scope="col">Outcome</th></tr></thead>
<tbody>${policies.join('') || '<tr><td colspan="3" class="muted">None.</td></tr>'}</tbody></table>`;
}

export function guardrailsPage(a: AccountChain, tried: Tried | null, simulation: Simulation | null): string {
  return layout(
    `Guardrails of ${a.chain[0]?.name ?? a.accountId}`,
    `<dl>
<dt>Account</dt><dd>${accountLink(a.accountId)}</dd>
<dt>Control policies</dt><dd>${e(a.controlPolicyStatus)}${a.managementAccount ? ' <span class="muted">(the management account: not restricted)</span>' : ''}</dd>
</dl>
<h2>Effective control policies</h2>
${levelsTable(a)}
<h2>Try an action</h2>
${tryForm(a.accountId, tried)}
${simulation ? result(simulation) : ''}`,
    [directoryCrumb(a.directoryId), { label: a.chain[0]?.name ?? a.accountId, href: href(`/accounts/${a.accountId}`) }, { label: 'Guardrails' }],
  );
}
