import { compiledPolicies, type CompiledPolicyCache, type StatementView } from './compiled-policy.js';
import type { Identity } from './identity.js';
import type { RequestContext } from './policy-conditions.js';

/**
 * The guardrail decision: whether the control policies on an account's chain (the account, each
 * folder above it, the Root) let a principal of that account perform an action on a resource.
 * Pure: the chain and its policy documents are given. The model, which Alibaba does not
 * document, is rdmc's and is written in docs/reference/guardrails.md:
 *
 * 1. The management account is not restricted (its caller is Allowed, reason ManagementAccount).
 * 2. A policy applies to the principal by its `EffectScope`: `All` to everyone, `RAM` only to
 *    RAM users and role sessions, never to the account's root identity.
 * 3. Any applying Deny statement that matches, at any level: ExplicitDeny.
 * 4. Otherwise every level with at least one applying policy must hold a matching Allow
 *    statement (as AWS SCPs); the first level, from the account up, that holds none makes an
 *    ImplicitDeny. A level where nothing applies restricts nothing, so `RAM`-scoped policies
 *    never lock out the root identity. With no applying policy anywhere (the feature off):
 *    Allowed, reason NoControlPolicy.
 */

/** Who calls: the identity types of src/domain/identity.ts (root, RAM user, role session). */
export type PrincipalType = Identity['type'];
export const PRINCIPAL_TYPES: readonly PrincipalType[] = ['Account', 'RAMUser', 'AssumedRoleUser'];

export type TargetKind = 'Account' | 'Folder' | 'Root';

export interface TargetRef {
  kind: TargetKind;
  id: string;
  name: string;
}

export interface AttachedPolicy {
  id: string;
  name: string;
  type: 'System' | 'Custom';
  effectScope: 'All' | 'RAM';
  document: string;
}

export interface ChainLevel extends TargetRef {
  /** The policies attached to this target directly. */
  policies: readonly AttachedPolicy[];
}

export interface EvaluationRequest {
  /** The account first, then each folder above it, the Root last. */
  chain: readonly ChainLevel[];
  managementAccount: boolean;
  principalType: PrincipalType;
  action: string;
  resource: string;
  context: RequestContext;
}

export type Decision = 'Allowed' | 'ImplicitDeny' | 'ExplicitDeny';
export type DecisionReason = 'ManagementAccount' | 'NoControlPolicy' | 'AllowedAtEveryLevel' | 'ExplicitDeny' | 'NoAllowAtLevel';

export interface StatementRef {
  policyId: string;
  policyName: string;
  /** Where the policy is attached: the account itself, or the folder (or Root) it inherits through. */
  target: TargetRef;
  index: number;
  statement: StatementView;
}

export interface PolicyOutcome {
  policyId: string;
  policyName: string;
  policyType: AttachedPolicy['type'];
  effectScope: AttachedPolicy['effectScope'];
  target: TargetRef;
  /** False when its EffectScope leaves this principal out (a `RAM` policy and the root identity). */
  applies: boolean;
  /** Deny when one of its Deny statements matched, Allow when only Allow statements did. */
  effect: 'Allow' | 'Deny' | 'None';
  /** The statements that matched, by index. */
  matchedStatements: number[];
}

export interface LevelOutcome {
  target: TargetRef;
  /** Whether any policy here applies to the principal; a level that restricts needs an Allow. */
  restricts: boolean;
  /** The first matching Allow statement here, or null. */
  allowedBy: StatementRef | null;
}

export interface Evaluation {
  decision: Decision;
  reason: DecisionReason;
  /** ExplicitDeny: every matching Deny; Allowed: the Allow at each restricting level; otherwise none. */
  decidingStatements: StatementRef[];
  /** ImplicitDeny: the level without an Allow. */
  deniedAt: TargetRef | null;
  /** The account first, the Root last, as given. */
  levels: LevelOutcome[];
  /** Every policy on the chain, level by level, in the order given. */
  policies: PolicyOutcome[];
}

const targetOf = (level: ChainLevel): TargetRef => ({ kind: level.kind, id: level.id, name: level.name });

export const appliesTo = (policy: Pick<AttachedPolicy, 'effectScope'>, principal: PrincipalType) =>
  policy.effectScope === 'All' || principal !== 'Account';

export function evaluateGuardrails(request: EvaluationRequest, cache: CompiledPolicyCache = compiledPolicies): Evaluation {
  const action = request.action.toLowerCase();
  const policies: PolicyOutcome[] = [];
  const levels: LevelOutcome[] = [];
  const denies: StatementRef[] = [];

  for (const level of request.chain) {
    const target = targetOf(level);
    const outcome: LevelOutcome = { target, restricts: false, allowedBy: null };
    for (const policy of level.policies) {
      const applies = appliesTo(policy, request.principalType);
      const result: PolicyOutcome = {
        policyId: policy.id, policyName: policy.name, policyType: policy.type, effectScope: policy.effectScope,
        target, applies, effect: 'None', matchedStatements: [],
      };
      policies.push(result);
      if (!applies) continue;
      outcome.restricts = true;
      for (const statement of cache.get(policy.document).statements) {
        if (!statement.matches(action, request.resource, request.context)) continue;
        result.matchedStatements.push(statement.index);
        const ref: StatementRef = { policyId: policy.id, policyName: policy.name, target, index: statement.index, statement: statement.view };
        if (statement.effect === 'Deny') {
          result.effect = 'Deny';
          denies.push(ref);
        } else {
          if (result.effect === 'None') result.effect = 'Allow';
          outcome.allowedBy ??= ref;
        }
      }
    }
    levels.push(outcome);
  }

  const base = { levels, policies };
  if (request.managementAccount) return { decision: 'Allowed', reason: 'ManagementAccount', decidingStatements: [], deniedAt: null, ...base };
  if (denies.length > 0) return { decision: 'ExplicitDeny', reason: 'ExplicitDeny', decidingStatements: denies, deniedAt: null, ...base };
  const restricting = levels.filter((l) => l.restricts);
  if (restricting.length === 0) return { decision: 'Allowed', reason: 'NoControlPolicy', decidingStatements: [], deniedAt: null, ...base };
  const unallowed = restricting.find((l) => l.allowedBy === null);
  if (unallowed) return { decision: 'ImplicitDeny', reason: 'NoAllowAtLevel', decidingStatements: [], deniedAt: unallowed.target, ...base };
  return { decision: 'Allowed', reason: 'AllowedAtEveryLevel', decidingStatements: restricting.map((l) => l.allowedBy!), deniedAt: null, ...base };
}

/**
 * A role session's policy (docs/reference/identity.md, section 6): the session's
 * permissions are the role's narrowed by it, as Alibaba documents for STS, so a matching Deny
 * makes an ExplicitDeny, no matching Allow an ImplicitDeny. Statements match as a control
 * policy's do (the same compiled documents and cache).
 */
export function evaluateSessionPolicy(
  document: string,
  request: Pick<EvaluationRequest, 'action' | 'resource' | 'context'>,
  cache: CompiledPolicyCache = compiledPolicies,
): Decision {
  const action = request.action.toLowerCase();
  const matched = cache.get(document).statements.filter((s) => s.matches(action, request.resource, request.context));
  if (matched.some((s) => s.effect === 'Deny')) return 'ExplicitDeny';
  return matched.length > 0 ? 'Allowed' : 'ImplicitDeny';
}
