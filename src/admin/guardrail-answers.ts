import type { StatementRef, TargetRef } from '../domain/policy-evaluation.js';
import type { AccountChain, Simulation } from '../services/guardrails.js';

/**
 * The admin API's answers for the guardrail simulator (docs/reference/guardrails.md), PascalCase
 * as every rdmc answer; the CLI prints them and the console renders the same values.
 */

const target = (t: TargetRef) => ({ TargetType: t.kind, TargetId: t.id, TargetName: t.name });

const statement = (s: StatementRef) => ({ PolicyId: s.policyId, PolicyName: s.policyName, ...target(s.target), StatementIndex: s.index, Statement: s.statement });

const account = (a: AccountChain) => ({
  AccountId: a.accountId,
  ResourceDirectoryId: a.directoryId,
  ManagementAccount: a.managementAccount,
  ControlPolicyStatus: a.controlPolicyStatus,
});

/** `GET /_rdmc/accounts/{AccountId}/control-policies`: each level from the account up, with its policies and their documents. */
export const effectivePoliciesAnswer = (a: AccountChain) => ({
  ...account(a),
  Levels: a.chain.map((level) => ({
    ...target(level),
    Policies: level.policies.map((p) => ({ PolicyId: p.id, PolicyName: p.name, PolicyType: p.type, EffectScope: p.effectScope, PolicyDocument: p.document })),
  })),
});

/** `POST /_rdmc/guardrails/simulate`. */
export const simulationAnswer = (s: Simulation) => ({
  ...account(s),
  PrincipalType: s.request.principalType,
  Action: s.request.action,
  Resource: s.request.resource,
  Context: s.request.context,
  Decision: s.evaluation.decision,
  Reason: s.evaluation.reason,
  DecidingStatements: s.evaluation.decidingStatements.map(statement),
  DeniedAt: s.evaluation.deniedAt && target(s.evaluation.deniedAt),
  Levels: s.evaluation.levels.map((l) => ({ ...target(l.target), Restricts: l.restricts, AllowedBy: l.allowedBy && statement(l.allowedBy) })),
  Policies: s.evaluation.policies.map((p) => ({
    PolicyId: p.policyId, PolicyName: p.policyName, PolicyType: p.policyType, EffectScope: p.effectScope, ...target(p.target),
    Applies: p.applies, Effect: p.effect, MatchedStatements: p.matchedStatements,
  })),
});
