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
