import { compileCondition, conditionHolds, type CompiledCondition, type RequestContext } from './policy-conditions.js';
import { checkPolicyGrammar, type PolicyStatement } from './policy-grammar.js';
import { PatternSet } from './policy-patterns.js';

/**
 * A policy document ready for evaluation: parsed by the grammar once, its patterns and
 * conditions compiled once, and kept in a bounded cache keyed by the document's text, so a
 * decision costs no parsing (docs/reference/guardrails.md, "Performance").
 */

/** A statement as the simulator shows it: the document's own element names, values as lists. */
export interface StatementView {
  Effect: 'Allow' | 'Deny';
  Action?: string[];
  NotAction?: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface CompiledStatement {
  /** Its place in the document's `Statement` array, from 0. */
  index: number;
  effect: 'Allow' | 'Deny';
  view: StatementView;
  /** `action` arrives lower-cased (actions are case-insensitive). */
  matches(action: string, resource: string, context: RequestContext): boolean;
}

export interface CompiledPolicy {
  statements: readonly CompiledStatement[];
}

function viewOf(s: PolicyStatement): StatementView {
  return {
    Effect: s.effect,
    ...(s.notAction ? { NotAction: s.notAction } : { Action: s.action }),
    Resource: s.resource,
    ...(Object.keys(s.condition).length > 0 && { Condition: s.condition }),
  };
}

function compileStatement(s: PolicyStatement, index: number): CompiledStatement {
  const actions = new PatternSet(s.notAction ?? s.action, true);
  const notAction = s.notAction !== null;
  const resources = new PatternSet(s.resource, false);
  const conditions: CompiledCondition[] = Object.entries(s.condition).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, values]) => compileCondition(operator, key, values)),
  );
  return {
    index,
    effect: s.effect,
    view: viewOf(s),
    matches: (action, resource, context) =>
      actions.matches(action) !== notAction && resources.matches(resource) && conditions.every((c) => conditionHolds(c, context)),
  };
}

/** Compiles a document; a stored document (control or session policy) always passed the grammar, so a refusal here is a fault. */
export function compilePolicy(document: string): CompiledPolicy {
  const check = checkPolicyGrammar(document);
  if (!check.ok) throw new Error(`a stored policy fails the grammar: ${check.reason}`);
  return { statements: check.policy.statements.map(compileStatement) };
}

/** Least recently used documents leave first once `limit` are held. */
export class CompiledPolicyCache {
  private readonly entries = new Map<string, CompiledPolicy>();

  constructor(private readonly limit: number) {}

  get(document: string): CompiledPolicy {
    const hit = this.entries.get(document);
    if (hit) {
      // Re-inserting moves the entry to the end of the Map's order: the most recently used.
      this.entries.delete(document);
      this.entries.set(document, hit);
      return hit;
    }
    const compiled = compilePolicy(document);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(document, compiled);
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * One cache for the process: a directory holds at most 1,500 custom policies of 4,096
 * characters, so 2,048 documents (at most some tens of MiB compiled) keep a busy directory's
 * whole set, and many tenants share them by recency.
 */
export const compiledPolicies = new CompiledPolicyCache(2048);
