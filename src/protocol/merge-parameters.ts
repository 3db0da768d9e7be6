import { errors } from '../domain/errors.js';

/**
 * The request's parameters, query string and form body together, each name once. Both
 * signature versions sort the pairs before signing (and v1 signs query and body as one
 * set), so a signature does not fix which of two pairs of one name comes first, nor on
 * which side it travels: someone on the path could reorder them and choose the value an
 * action sees. No client sends a name twice, so a repeat is refused instead of picking one.
 */
export function mergeParameters(query: Array<[string, string]>, form: Array<[string, string]>): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of [...query, ...form]) {
    if (params.has(name)) throw errors.repeatedParameter(name);
    params.set(name, value);
  }
  return params;
}
