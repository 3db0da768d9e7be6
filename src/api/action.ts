import type { Services } from '../services/index.js';
import type { ParamSpec, ParamsOf } from './params.js';

export interface Caller {
  accountId: string;
  accessKeyId: string;
}

export interface ActionContext {
  caller: Caller;
  services: Services;
}

/** One row of the action table: the parameters it takes and the thin handler that serves it. */
export interface ActionDefinition<S extends ParamSpec = ParamSpec> {
  params: S;
  handler: (ctx: ActionContext, params: ParamsOf<S>) => Promise<Record<string, unknown>>;
}

/** Keeps each row's handler typed by its own parameter declarations. */
export function action<S extends ParamSpec>(params: S, handler: ActionDefinition<S>['handler']): ActionDefinition {
  return { params, handler } as unknown as ActionDefinition;
}

/**
 * The same action as an older API version models it: the same handler, without the
 * parameters that version does not declare (strict mode refuses them), and with the answer
 * reshaped to that version's response model.
 */
export function asVersion(
  definition: ActionDefinition,
  opts: { without?: string[]; shape?: (body: Record<string, unknown>) => Record<string, unknown> },
): ActionDefinition {
  const params = Object.fromEntries(Object.entries(definition.params).filter(([name]) => !opts.without?.includes(name)));
  const shape = opts.shape ?? ((body) => body);
  return {
    params,
    // Parameters a version does not declare are parsed as absent: the handler sees their defaults.
    handler: async (ctx, p) => shape(await definition.handler(ctx, { ...withoutValues(definition.params, params), ...p })),
  };
}

/** The declared-but-dropped parameters, each as its absent value (undefined, or the parser's default). */
function withoutValues(all: ParamSpec, kept: ParamSpec): Record<string, unknown> {
  const empty = new Map<string, string>();
  return Object.fromEntries(Object.entries(all).filter(([name]) => !(name in kept)).map(([name, p]) => [name, p.parse(empty, name)]));
}
