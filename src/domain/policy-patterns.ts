/**
 * The wildcards of the RAM policy language (`*` any run of characters, the empty one too; `?`
 * exactly one), as `Action`, `NotAction`, `Resource` and `StringLike` use them.
 *
 * Matching walks the pattern once and backtracks only to the last `*` seen, so its cost is at
 * most pattern length times value length: a regular expression built from `*a*a*a*…b` would
 * backtrack exponentially, and both the pattern (a stored policy) and the value (a caller's
 * resource ARN) come from outside.
 */

const STAR = 42; // '*'
const QUESTION = 63; // '?'

export function wildcardMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === QUESTION || c === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (p < pattern.length && c === STAR) {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

const hasWildcard = (pattern: string) => pattern.includes('*') || pattern.includes('?');

/**
 * A list of patterns compiled for repeated tests: plain names go into a set (one lookup), only
 * the patterns with wildcards are walked. `foldCase` lower-cases patterns and values (actions
 * are case-insensitive; resources and condition values are not).
 */
export class PatternSet {
  private readonly exact: ReadonlySet<string>;
  private readonly wild: readonly string[];
  private readonly any: boolean;

  constructor(patterns: readonly string[], foldCase: boolean) {
    const list = foldCase ? patterns.map((p) => p.toLowerCase()) : patterns;
    this.any = list.some((p) => p === '*');
    this.exact = new Set(list.filter((p) => !hasWildcard(p)));
    this.wild = list.filter(hasWildcard);
  }

  /** `value` is already lower-cased when the set folds case (the caller does it once per request). */
  matches(value: string): boolean {
    if (this.any || this.exact.has(value)) return true;
    for (const pattern of this.wild) if (wildcardMatch(pattern, value)) return true;
    return false;
  }
}
