import { parseArgs } from 'node:util';
import { describeArgsError } from '../config/load.js';
import type { simulationAnswer } from '../admin/guardrail-answers.js';
import { adminRequest, adminTarget } from './admin-client.js';
import { UsageError } from './call.js';
import { TARGET_FLAGS } from './state-commands.js';

export const SIMULATE_USAGE = `usage: rdmc simulate ACCOUNT_ID ACTION [RESOURCE] [--principal P] [--context KEY=VALUE]... [--json]
                     [--endpoint URL] [--admin-token TOKEN]

Asks the guardrail simulator (POST /_rdmc/guardrails/simulate) whether the control policies
on ACCOUNT_ID's chain (the account, the folders above it, the Root) let a principal of that
account perform ACTION (ecs:DeleteInstance) on RESOURCE (an ARN; default *), and prints the
decision, the statements that decided and every policy on the chain (docs/reference/guardrails.md).
Exits 0 when Allowed, 3 when denied.

  --principal P       root, ram-user (default) or ram-role: the account's root identity, one
                      of its RAM users, or a role session in it.
  --context KEY=VALUE A condition key of the request (acs:SourceIp=10.0.0.1); give a key
                      again for a multi-valued key. acs:CurrentTime is the server's clock
                      unless given.
  --json              Print the whole answer as JSON instead.
${TARGET_FLAGS}`;

const PRINCIPALS: Record<string, string> = { root: 'Account', 'ram-user': 'RAMUser', 'ram-role': 'AssumedRoleUser' };

/** The exit code of a decision that denies: apart from errors (1) and usage errors (2). */
const EXIT_DENIED = 3;

type Answer = ReturnType<typeof simulationAnswer>;

function contextOf(pairs: string[]): Record<string, string | string[]> {
  const context: Record<string, string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--context expects KEY=VALUE, got "${pair}"`);
    (context[pair.slice(0, at)] ??= []).push(pair.slice(at + 1));
  }
  return Object.fromEntries(Object.entries(context).map(([key, values]) => [key, values.length === 1 ? values[0]! : values]));
}

const where = (t: { TargetType: string; TargetId: string; TargetName: string }) => `${t.TargetType} ${t.TargetId} (${t.TargetName})`;

/** The answer as a person reads it: the decision, why, then the chain's policies level by level. */
export function describeSimulation(a: Answer): string {
  const lines = [`${a.Decision} (${a.Reason}): ${a.Action} on ${a.Resource} by ${a.PrincipalType} of account ${a.AccountId}`];
  if (a.ManagementAccount) lines.push('  the management account is not restricted by control policies');
  if (a.ControlPolicyStatus !== 'Enabled') lines.push(`  control policies are ${a.ControlPolicyStatus} in directory ${a.ResourceDirectoryId}: rdmc enforces nothing`);
  if (a.DeniedAt) lines.push(`  no policy at ${where(a.DeniedAt)} allows it`);
  for (const s of a.DecidingStatements) {
    lines.push(`  decided by Statement[${s.StatementIndex}] of ${s.PolicyName} (${s.PolicyId}) attached to ${where(s)}: ${JSON.stringify(s.Statement)}`);
  }
  lines.push('policies on the chain, from the account up:');
  if (a.Policies.length === 0) lines.push('  none');
  for (const p of a.Policies) {
    const outcome = !p.Applies ? `does not apply to ${a.PrincipalType}` : p.Effect === 'None' ? 'no statement matches' : `${p.Effect} by Statement${p.MatchedStatements.map((i) => `[${i}]`).join('')}`;
    lines.push(`  ${where(p)}: ${p.PolicyName} (${p.PolicyId}, ${p.PolicyType}, EffectScope ${p.EffectScope}): ${outcome}`);
  }
  return lines.join('\n');
}

export async function simulate(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: 'string' }, 'admin-token': { type: 'string' },
        principal: { type: 'string', default: 'ram-user' }, context: { type: 'string', multiple: true, default: [] }, json: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(describeArgsError(err, 'simulate'));
  }
  const { values, positionals } = parsed;
  const [accountId, action, resource, ...more] = positionals;
  if (accountId === undefined || action === undefined) throw new UsageError('expected ACCOUNT_ID and ACTION');
  if (more.length > 0) throw new UsageError(`expected at most ACCOUNT_ID ACTION RESOURCE, got ${positionals.length} arguments`);
  const principalType = PRINCIPALS[values.principal];
  if (!principalType) throw new UsageError(`--principal must be root, ram-user or ram-role, got "${values.principal}"`);
  const body = { AccountId: accountId, PrincipalType: principalType, Action: action, Resource: resource ?? '*', Context: contextOf(values.context) };
  const answer = (await (await adminRequest(adminTarget(values, env), 'POST', '/guardrails/simulate', body)).json()) as Answer;
  console.log(values.json ? JSON.stringify(answer, null, 2) : describeSimulation(answer));
  return answer.Decision === 'Allowed' ? 0 : EXIT_DENIED;
}
