import { BlockList, isIP } from 'node:net';
import { BASE_CONDITION_OPERATORS, type BaseConditionOperator } from './policy-grammar.js';
import { PatternSet } from './policy-patterns.js';

/**
 * A statement's `Condition`, compiled once per policy document, and its test against a
 * request's context (docs/reference/guardrails.md, "Conditions"):
 *
 * - operators AND, keys under one operator AND, a key's policy values OR;
 * - a request key may carry several values: a positive operator holds when any request value
 *   matches any policy value, a negated one (`...Not...`, `NotIpAddress`) is exactly the
 *   negation of its positive twin, so it holds when no request value matches;
 * - a key the request lacks: `...IfExists` holds, a negated operator holds, a positive one fails;
 * - a policy value that is not of the operator's type (a number, an ISO 8601 time, an address
 *   or CIDR block) matches nothing, and so does such a request value.
 */

/** A request's condition keys, names lower-cased (key names are case-insensitive), each with its values. */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

export function requestContext(entries: Readonly<Record<string, string | readonly string[]>>): RequestContext {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(entries)) {
    const values = typeof value === 'string' ? [value] : [...value];
    out.set(key.toLowerCase(), [...(out.get(key.toLowerCase()) ?? []), ...values]);
  }
  return out;
}

export interface CompiledCondition {
  operator: string;
  /** Lower-cased. */
  key: string;
  ifExists: boolean;
  negated: boolean;
  /** True when one request value matches any of the policy's values (the positive form). */
  matchesAny: (requestValue: string) => boolean;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const parseNumber = (text: string) => (DECIMAL.test(text.trim()) ? Number(text) : Number.NaN);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const ZONE = /(Z|[+-]\d{2}:?\d{2})$/;
/** ISO 8601 only; a date-time without a zone is UTC (JavaScript would read it as local time). */
function parseDate(text: string): number {
  if (!ISO_8601.test(text)) return Number.NaN;
  return Date.parse(text.includes('T') && !ZONE.test(text) ? `${text}Z` : text);
}

type Compare = (request: number, policy: number) => boolean;
const COMPARISONS: Record<'Equals' | 'LessThan' | 'LessThanEquals' | 'GreaterThan' | 'GreaterThanEquals', Compare> = {
  Equals: (a, b) => a === b,
  LessThan: (a, b) => a < b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanEquals: (a, b) => a >= b,
};

function ordered(values: readonly string[], parse: (text: string) => number, compare: Compare) {
  const policy = values.map(parse).filter((n) => !Number.isNaN(n));
  return (requestValue: string) => {
    const n = parse(requestValue);
    return !Number.isNaN(n) && policy.some((p) => compare(n, p));
  };
}

function addresses(values: readonly string[]) {
  const list = new BlockList();
  for (const value of values) {
    const [address = '', prefix, extra] = value.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (family === 0 || extra !== undefined || Number.isNaN(bits) || (bits !== null && bits > (family === 4 ? 32 : 128))) continue;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return (requestValue: string) => {
    const family = isIP(requestValue);
    return family !== 0 && list.check(requestValue, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The positive test behind each operator, and whether the operator negates it. */
function positiveTest(operator: BaseConditionOperator, values: readonly string[]): { negated: boolean; matchesAny: (v: string) => boolean } {
  const exact = () => {
    const set = new Set(values);
    return (v: string) => set.has(v);
  };
  const folded = () => {
    const set = new Set(values.map((v) => v.toLowerCase()));
    return (v: string) => set.has(v.toLowerCase());
  };
  const like = () => {
    const set = new PatternSet(values, false);
    return (v: string) => set.matches(v);
  };
  switch (operator) {
    case 'StringEquals': return { negated: false, matchesAny: exact() };
    case 'StringNotEquals': return { negated: true, matchesAny: exact() };
    case 'StringEqualsIgnoreCase': return { negated: false, matchesAny: folded() };
    case 'StringNotEqualsIgnoreCase': return { negated: true, matchesAny: folded() };
    case 'StringLike': return { negated: false, matchesAny: like() };
    case 'StringNotLike': return { negated: true, matchesAny: like() };
    case 'NumericEquals': return { negated: false, matchesAny: ordered(values, parseNumber, COMPARISONS.Equals) };
    case 'NumericNotEquals': return { negated: true, matchesAny: ordered(values, parseNumber, COMPARISONS.Equals) };
    case 'NumericLessThan': return { negated: false, matchesAny: ordered(values, parseNumber, COMPARISONS.LessThan) };
    case 'NumericLessThanEquals': return { negated: false, matchesAny: ordered(values, parseNumber, COMPARISONS.LessThanEquals) };
    case 'NumericGreaterThan': return { negated: false, matchesAny: ordered(values, parseNumber, COMPARISONS.GreaterThan) };
    case 'NumericGreaterThanEquals': return { negated: false, matchesAny: ordered(values, parseNumber, COMPARISONS.GreaterThanEquals) };
    case 'DateEquals': return { negated: false, matchesAny: ordered(values, parseDate, COMPARISONS.Equals) };
    case 'DateNotEquals': return { negated: true, matchesAny: ordered(values, parseDate, COMPARISONS.Equals) };
    case 'DateLessThan': return { negated: false, matchesAny: ordered(values, parseDate, COMPARISONS.LessThan) };
    case 'DateLessThanEquals': return { negated: false, matchesAny: ordered(values, parseDate, COMPARISONS.LessThanEquals) };
    case 'DateGreaterThan': return { negated: false, matchesAny: ordered(values, parseDate, COMPARISONS.GreaterThan) };
    case 'DateGreaterThanEquals': return { negated: false, matchesAny: ordered(values, parseDate, COMPARISONS.GreaterThanEquals) };
    // Booleans are the words true and false, in any case.
    case 'Bool': return { negated: false, matchesAny: folded() };
    case 'IpAddress': return { negated: false, matchesAny: addresses(values) };
    case 'NotIpAddress': return { negated: true, matchesAny: addresses(values) };
  }
}

const BASE: ReadonlySet<string> = new Set(BASE_CONDITION_OPERATORS);

/** `operator` is one the grammar accepted (policy-grammar.ts). */
export function compileCondition(operator: string, key: string, values: readonly string[]): CompiledCondition {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  if (!BASE.has(base)) throw new Error(`compileCondition: the grammar let through the unknown operator ${operator}`);
  return { operator, key: key.toLowerCase(), ifExists, ...positiveTest(base as BaseConditionOperator, values) };
}

export function conditionHolds(condition: CompiledCondition, context: RequestContext): boolean {
  const values = context.get(condition.key);
  if (!values || values.length === 0) return condition.ifExists || condition.negated;
  const any = values.some(condition.matchesAny);
  return condition.negated ? !any : any;
}
