import { ApiError, errors } from '../domain/errors.js';
import { checkTagsPerCall, TAG_RULES, type TagParam } from '../domain/tag-rules.js';
import { CONTROL_CHARACTERS } from '../domain/text.js';

/**
 * Declarative action parameters. Each parser reads one name from the merged wire
 * parameters and returns the typed value or throws the documented catalogue error; handler
 * parameter types are derived from the same declarations.
 */
export type RawParams = Map<string, string>;

/** What docs/reference/api.md says of a parameter (src/api/reference.ts). */
export interface ParamDoc {
  type: string;
  required: boolean;
  /** Range, default and list limits, as the parser enforces them. */
  limits: string;
}

export interface Param<T> {
  readonly doc: ParamDoc;
  /** Names on the wire this parameter may use (`Members` also owns `Members.1`, `Members.2`...). */
  owns(name: string, wireName: string): boolean;
  parse(raw: RawParams, name: string): T;
}

export type ParamSpec = Record<string, Param<unknown>>;
export type ParamsOf<S extends ParamSpec> = { [K in keyof S]: S[K] extends Param<infer T> ? T : never };

const exact = (name: string, wireName: string) => name === wireName;

function clean(name: string, value: string): string {
  if (CONTROL_CHARACTERS.test(value)) throw errors.invalidParameter(name);
  return value;
}

/** An empty value (`Key=`) counts as not given, as for an omitted parameter. */
function present(raw: RawParams, name: string): string | undefined {
  const v = raw.get(name);
  return v === undefined || v === '' ? undefined : clean(name, v);
}

/**
 * A value whose own rule (run by the service, before anything is stored) refuses every control
 * character it cannot hold, with that rule's documented error: AssumeRole's parameters each
 * have a "wrongly formed" message, and a policy's JSON may hold tab, CR and LF as whitespace.
 * Read as given, so the rules also see the parameters in their documented order.
 */
export const optionalRaw = (type = 'string'): Param<string | undefined> => ({
  doc: { type, required: false, limits: '' },
  owns: exact,
  parse: (raw, name) => raw.get(name) || undefined,
});

export const requiredRaw = (onMissing: () => ApiError): Param<string> => ({
  doc: { type: 'string', required: true, limits: '' },
  owns: exact,
  parse(raw, name) {
    const v = raw.get(name);
    if (!v) throw onMissing();
    return v;
  },
});

export const optionalString = (): Param<string | undefined> => ({ doc: { type: 'string', required: false, limits: '' }, owns: exact, parse: present });

export const requiredString = (onMissing?: () => ApiError): Param<string> => ({
  doc: { type: 'string', required: true, limits: '' },
  owns: exact,
  parse(raw, name) {
    const v = present(raw, name);
    if (v === undefined) throw onMissing ? onMissing() : errors.missingParameter(name);
    return v;
  },
});

/**
 * A decimal integer in [min, max]; undefined when absent. At most as many digits as `max`
 * has (leading zeros included), so `Number` reads it exactly and `max` itself is accepted.
 */
export const optionalInteger = (opts: { min: number; max: number }): Param<number | undefined> => {
  const digits = new RegExp(`^\\d{1,${String(opts.max).length}}$`);
  return {
    doc: { type: 'integer', required: false, limits: `${opts.min} to ${opts.max}` },
    owns: exact,
    parse(raw, name) {
      const v = present(raw, name);
      if (v === undefined) return undefined;
      if (!digits.test(v)) throw errors.invalidParameter(name);
      const n = Number(v);
      if (n < opts.min || n > opts.max) throw errors.invalidParameter(name);
      return n;
    },
  };
};

export const integer = (opts: { min: number; max: number; default: number }): Param<number> => {
  const optional = optionalInteger(opts);
  return {
    doc: { ...optional.doc, limits: `${optional.doc.limits}, default ${opts.default}` },
    owns: exact,
    parse: (raw, name) => optional.parse(raw, name) ?? opts.default,
  };
};

export const boolean = (fallback: boolean): Param<boolean> => ({
  doc: { type: 'boolean', required: false, limits: `default ${fallback}` },
  owns: exact,
  parse(raw, name) {
    const v = present(raw, name);
    if (v === undefined) return fallback;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw errors.invalidParameter(name);
  },
});

/**
 * The `N` of a RepeatList name: 1 to 9 digits without a leading zero, which `Number` reads
 * exactly. Anything else is refused with the list's own `InvalidParameter.<Name>`, in loose
 * mode too: a longer index's digits are the caller's and never reach an error code, a metric
 * label or a log line; and `Tag.01` would name the same item as `Tag.1` under another name,
 * which the repeated-name check cannot see, so the signature (over sorted pairs) would not
 * fix which of the two an action reads.
 */
const INDEX = /^\d+$/;
function listIndex(name: string, index: string): number {
  if (!/^[1-9]\d{0,8}$/.test(index)) throw errors.invalidParameter(name);
  return Number(index);
}

/** A RepeatList: `Name.1`, `Name.2`... (1-based; gaps tolerated), or a bare `Name` as one item. */
export const list = (): Param<string[] | undefined> => ({
  doc: { type: 'string list (`Name.N`)', required: false, limits: '' },
  owns: (name, wireName) => wireName === name || (wireName.startsWith(`${name}.`) && INDEX.test(wireName.slice(name.length + 1))),
  parse(raw, name) {
    const items: Array<[number, string]> = [];
    for (const [key, value] of raw) {
      if (key.startsWith(`${name}.`)) {
        const index = key.slice(name.length + 1);
        if (INDEX.test(index)) items.push([listIndex(name, index), clean(name, value)]);
      }
    }
    if (items.length === 0) {
      const bare = present(raw, name);
      return bare === undefined ? undefined : [bare];
    }
    return items.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  },
});

export const paging = {
  PageNumber: integer({ min: 1, max: 1_000_000_000, default: 1 }),
  PageSize: integer({ min: 1, max: 100, default: 10 }),
};

/** Token paging: MaxResults (1 to 100) and the NextToken of the previous page. */
export const tokenPaging = {
  MaxResults: integer({ min: 1, max: 100, default: 10 }),
  NextToken: optionalString(),
};

/** The first wire parameter no declared parameter owns, for strict mode. */
export function firstUnknown(spec: ParamSpec, raw: RawParams): string | undefined {
  const entries = Object.entries(spec);
  for (const wireName of raw.keys()) {
    if (!entries.some(([name, p]) => p.owns(name, wireName))) return wireName;
  }
  return undefined;
}

export function parseParams<S extends ParamSpec>(spec: S, raw: RawParams): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(spec)) out[name] = p.parse(raw, name);
  return out as ParamsOf<S>;
}

/**
 * Like `optionalString`, but an explicit empty value stays `""`: UpdatePayerForAccount reads
 * `PayerAccountId=` (what Terraform sends when the attribute is removed) as "clear".
 */
export const presentOrEmpty = (): Param<string | undefined> => ({
  doc: { type: 'string', required: false, limits: 'an empty value is kept as `""`' },
  owns: exact,
  parse(raw, name) {
    const v = raw.get(name);
    return v === undefined ? undefined : clean(name, v);
  },
});

/**
 * `Name.N.Key` / `Name.N.Value` pairs (1-based, gaps tolerated), in N order; a Value without
 * its Key is invalid. At most 20 pairs (`LimitExceeded.Tag`, as TagResources documents), and
 * an error names a pair by its position in N order, `Tag.1.Key` to `Tag.20.Value`, as the key
 * rules do (src/services/tags.ts): codes are a small fixed set, whatever indexes the caller sends.
 */
export const tagList = (): Param<TagParam[] | undefined> => ({
  doc: { type: 'tag list (`Name.N.Key`, `Name.N.Value`)', required: false, limits: `at most ${TAG_RULES.maxTagsPerCall} pairs` },
  owns: (name, wireName) => wireName.startsWith(`${name}.`) && /^\d+\.(Key|Value)$/.test(wireName.slice(name.length + 1)),
  parse(raw, name) {
    const byIndex = new Map<number, { Key?: string; Value?: string }>();
    for (const [key, value] of raw) {
      const m = key.startsWith(`${name}.`) ? /^(\d+)\.(Key|Value)$/.exec(key.slice(name.length + 1)) : null;
      if (!m) continue;
      const index = listIndex(name, m[1]!);
      const entry = byIndex.get(index) ?? {};
      entry[m[2] as 'Key' | 'Value'] = value;
      byIndex.set(index, entry);
    }
    if (byIndex.size === 0) return undefined;
    return checkTagsPerCall([...byIndex.entries()])
      .sort((a, b) => a[0] - b[0])
      .map(([, t], i) => {
        const at = `${name}.${i + 1}`;
        if (!t.Key) throw errors.invalidParameter(`${at}.Key`);
        return { Key: clean(`${at}.Key`, t.Key), Value: t.Value === undefined ? undefined : clean(`${at}.Value`, t.Value) };
      });
  },
});
