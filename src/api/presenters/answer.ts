import { contactTime, directoryTime, stsTime } from '../../domain/clock.js';

/**
 * How a presenter declares an answer: each wire field, in wire order, with the type the
 * reference names and how it is read from the service's domain value. One declaration
 * serves both the wire (`render`) and docs/reference/api.md (src/api/reference.ts), so the
 * documented answer is the answer sent.
 */
export interface Field<T> {
  /** The type as the reference shows it: `string`, `integer`, `boolean`, `string[]`, `object`, `object[]`. */
  readonly type: string;
  /** What the reference adds to the type (a time's format). */
  readonly note?: string;
  /** Left out of the answer when it reads undefined (the reference says when). */
  readonly optional?: boolean;
  /** An object's fields, or each list item's. */
  readonly fields?: Answer<never>;
  // Method syntax: a field of a wider value serves any narrower one.
  read(value: T): unknown;
}

export type Answer<T> = Readonly<Record<string, Field<T>>>;

/** The wire object of `value`, its fields in declared order. */
export function render<T>(answer: Answer<T>, value: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(answer)) {
    const v = field.read(value);
    if (v !== undefined || !field.optional) out[name] = v;
  }
  return out;
}

const scalar =
  (type: string) =>
  <T>(read: (value: T) => unknown): Field<T> => ({ type, read });

export const text = scalar('string');
export const integer = scalar('integer');
export const flag = scalar('boolean');
export const texts = scalar('string[]');

/** Directory objects' times: ISO 8601 UTC with milliseconds. */
export const directoryTimeOf = <T>(read: (value: T) => number): Field<T> => ({
  ...text((v: T) => directoryTime(read(v))),
  note: 'ISO 8601, UTC, with milliseconds',
});
/** STS expirations and control-policy dates: ISO 8601 UTC to the second, no fraction. */
export const secondsTimeOf = <T>(read: (value: T) => number): Field<T> => ({
  ...text((v: T) => stsTime(read(v))),
  note: 'ISO 8601, UTC, to the second (`2015-04-09T11:52:19Z`)',
});
/** Message-contact times: `yyyy-MM-dd HH:mm:ss`, UTC. */
export const contactTimeOf = <T>(read: (value: T) => number): Field<T> => ({
  ...text((v: T) => contactTime(read(v))),
  note: '`yyyy-MM-dd HH:mm:ss`, UTC',
});

export const object = <T, U>(answer: Answer<U>, read: (value: T) => U): Field<T> => ({
  type: 'object',
  fields: answer,
  read: (v) => render(answer, read(v)),
});

export const objects = <T, U>(answer: Answer<U>, read: (value: T) => readonly U[]): Field<T> => ({
  type: 'object[]',
  fields: answer,
  read: (v) => read(v).map((item) => render(answer, item)),
});

/** A field sent only when it has a value. */
export const optional = <T>(field: Field<T>): Field<T> => ({ ...field, optional: true, read: (v) => field.read(v) });

/** A field every answer of the kind carries with the same value. */
export const fixed = <T>(type: string, value: unknown): Field<T> => ({ type, read: () => value });

/** The answer of an action that answers nothing but its RequestId. */
export const nothing: Answer<unknown> = {};
