/**
 * Lists travel to SQLite as one JSON text parameter, read back with `json_each`, so a
 * statement's text (and its prepared form) is the same whatever the list's length: no
 * placeholder per element, no limit on how many variables one statement may hold.
 */
export const IN_LIST = 'SELECT value FROM json_each(?)';

/** The parameter that carries `values` into an `IN_LIST` or another `json_each(?)`. */
export const listParam = (values: readonly unknown[]): string => JSON.stringify(values);
