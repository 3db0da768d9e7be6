import type { ApiError } from '../domain/errors.js';
import type { Identity } from '../domain/identity.js';
import type { Services } from '../services/index.js';
import type { ParamSpec, ParamsOf } from './params.js';
import { render, type Answer } from './presenters/answer.js';

export interface Caller {
  accountId: string;
  accessKeyId: string;
  /** Who signed (src/domain/identity.ts): every identity acts as `accountId`. */
  identity: Identity;
}

export interface ActionContext {
  caller: Caller;
  services: Services;
}

/**
 * What an action does, whatever the version: the parameters it takes, the service call that
 * serves it (returning domain values, never a wire answer) and the catalogue errors it raises
 * beyond its parameters' own, which docs/reference/api.md lists (src/api/reference.ts).
 */
export interface Operation<S extends ParamSpec = ParamSpec, V = unknown> {
  readonly params: S;
  readonly raises: ReadonlyArray<() => ApiError>;
  // Method syntax: an operation of any parameter and value types is an operation of the table.
  run(ctx: ActionContext, params: ParamsOf<S>): Promise<V>;
}

/** One row of a version's action table: the operation, and the answer that version's presenter renders. */
export interface ActionDefinition<S extends ParamSpec = ParamSpec, V = unknown> extends Operation<S, V> {
  readonly answer: Answer<V>;
}

/** The value an operation's service call resolves to. */
export type ValueOf<O> = O extends Operation<ParamSpec, infer V> ? V : never;

/** A version's presenter: one answer per operation it serves, each typed by that operation's value. */
export type Presenter<O extends Record<string, Operation<ParamSpec, unknown>>> = { readonly [K in keyof O]: Answer<ValueOf<O[K]>> };

/** Keeps each operation's service call typed by its own parameter declarations. */
export function action<S extends ParamSpec, V>(
  params: S,
  run: (ctx: ActionContext, params: ParamsOf<S>) => Promise<V>,
  raises: ReadonlyArray<() => ApiError> = [],
): Operation<S, V> {
  return { params, run, raises };
}

/** A version's action table: each operation with its answer from the version's presenter. */
export function presentedBy<O extends Record<string, Operation<ParamSpec, unknown>>>(
  operations: O,
  presenter: Presenter<O>,
): Record<string, ActionDefinition> {
  return Object.fromEntries(
    Object.entries(operations).map(([name, op]) => [name, { ...op, answer: presenter[name as keyof O] as Answer<unknown> }]),
  );
}

/** Serves a row: the service's value, rendered by the row's presenter. */
export const serve = async (definition: ActionDefinition, ctx: ActionContext, params: Record<string, unknown>) =>
  render(definition.answer, await definition.run(ctx, params));

/**
 * The same operation as an older API version declares it: without the parameters that
 * version does not know (strict mode refuses them), which the service call sees as absent.
 */
export function without<S extends ParamSpec, V>(operation: Operation<S, V>, names: Array<keyof S & string>): Operation<ParamSpec, V> {
  const params = Object.fromEntries(Object.entries(operation.params).filter(([name]) => !names.includes(name)));
  const absent = withoutValues(operation.params, params);
  return { params, raises: operation.raises, run: (ctx, p) => operation.run(ctx, { ...absent, ...p } as ParamsOf<S>) };
}

/** The declared-but-dropped parameters, each as its absent value (undefined, or the parser's default). */
function withoutValues(all: ParamSpec, kept: ParamSpec): Record<string, unknown> {
  const empty = new Map<string, string>();
  return Object.fromEntries(Object.entries(all).filter(([name]) => !(name in kept)).map(([name, p]) => [name, p.parse(empty, name)]));
}
