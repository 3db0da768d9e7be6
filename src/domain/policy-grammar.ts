/**
 * The RAM policy language's grammar (docs/reference/identity.md, "Session policies"): what
 * AssumeRole's session `Policy` must be. A document is refused, with the reason, when it is not
 * a JSON object of `Version` "1" and a non-empty `Statement` array whose statements each have
 * an `Effect` of Allow or Deny, exactly one of `Action`/`NotAction`, a `Resource`, and at most a
 * `Condition` of known operators; element names, operators and values are case-sensitive.
 * The size is the caller's rule (2,048 bytes for a session policy), checked before parsing.
 */

/** RAM's documented operators, without the `IfExists` suffix. */
export const BASE_CONDITION_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'IpAddress', 'NotIpAddress',
] as const;
export type BaseConditionOperator = (typeof BASE_CONDITION_OPERATORS)[number];

/** Each operator, and its `...IfExists` form (true when the request has no such key; docs/reference/guardrails.md). */
export const CONDITION_OPERATORS: ReadonlySet<string> = new Set(BASE_CONDITION_OPERATORS.flatMap((op) => [op, `${op}IfExists`]));

/** `*`, or `<service>:<action>` where either part may hold the wildcards `*` and `?`. */
const ACTION = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+)$/;
/** `*`, or `acs:<service>:<region>:<account>:<relative id>`, wildcards allowed in every part. */
const RESOURCE = /^(\*|acs:[^:\s]*:[^:\s]*:[^:\s]*:\S+)$/;
const STATEMENT_KEYS = new Set(['Effect', 'Action', 'NotAction', 'Resource', 'Condition']);

export type PolicyCheck = { ok: true; policy: PolicyDocument } | { ok: false; reason: string };

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  /** `Action`'s patterns; empty with `notAction` set. */
  action: string[];
  notAction: string[] | null;
  resource: string[];
  condition: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  version: '1';
  statements: PolicyStatement[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Refused extends Error {}
const refuse = (reason: string): never => {
  throw new Refused(reason);
};

/** A string or a non-empty array of strings, each matching `pattern`. */
function strings(value: unknown, where: string, pattern?: RegExp): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) && value.length > 0 ? value : refuse(`${where} must be a string or a non-empty array of strings`);
  for (const item of list) {
    if (typeof item !== 'string') refuse(`${where} must hold strings only`);
    if (pattern && !pattern.test(item as string)) refuse(`${where} holds "${String(item).slice(0, 64)}", which is not a valid pattern`);
  }
  return list as string[];
}

function condition(value: unknown, where: string): PolicyStatement['condition'] {
  if (!isObject(value) || Object.keys(value).length === 0) refuse(`${where} must be a non-empty object of operators`);
  const out: PolicyStatement['condition'] = {};
  for (const [operator, keys] of Object.entries(value as Record<string, unknown>)) {
    if (!CONDITION_OPERATORS.has(operator)) refuse(`${where} has the unknown operator "${operator.slice(0, 64)}"`);
    if (!isObject(keys) || Object.keys(keys).length === 0) refuse(`${where}.${operator} must be a non-empty object of condition keys`);
    out[operator] = Object.fromEntries(Object.entries(keys as Record<string, unknown>).map(([key, v]) => [key, strings(typeof v === 'number' || typeof v === 'boolean' ? String(v) : v, `${where}.${operator}.${key.slice(0, 64)}`)]));
  }
  return out;
}

function statement(value: unknown, i: number): PolicyStatement {
  const where = `Statement[${i}]`;
  if (!isObject(value)) return refuse(`${where} must be an object`);
  for (const key of Object.keys(value)) if (!STATEMENT_KEYS.has(key)) refuse(`${where} has the unknown element "${key.slice(0, 64)}"`);
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') refuse(`${where}.Effect must be "Allow" or "Deny"`);
  if (('Action' in value) === ('NotAction' in value)) refuse(`${where} must have exactly one of Action and NotAction`);
  if (!('Resource' in value)) refuse(`${where} must have a Resource`);
  return {
    effect: value.Effect as 'Allow' | 'Deny',
    action: 'Action' in value ? strings(value.Action, `${where}.Action`, ACTION) : [],
    notAction: 'NotAction' in value ? strings(value.NotAction, `${where}.NotAction`, ACTION) : null,
    resource: strings(value.Resource, `${where}.Resource`, RESOURCE),
    condition: 'Condition' in value ? condition(value.Condition, `${where}.Condition`) : {},
  };
}

/** Parses and checks a policy document's grammar. */
export function checkPolicyGrammar(text: string): PolicyCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the document is not JSON' };
  }
  try {
    if (!isObject(parsed)) return refuse('the document must be a JSON object');
    for (const key of Object.keys(parsed)) if (key !== 'Version' && key !== 'Statement') refuse(`the document has the unknown element "${key.slice(0, 64)}"`);
    if (parsed.Version !== '1') refuse('Version must be "1"');
    if (!Array.isArray(parsed.Statement) || parsed.Statement.length === 0) refuse('Statement must be a non-empty array');
    return { ok: true, policy: { version: '1', statements: (parsed.Statement as unknown[]).map(statement) } };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    throw err;
  }
}
