/**
 * Lists travel to SQLite as one JSON text parameter, read back with `json_each` (the
 * dialect's `in` and `table`, src/storage/statement.ts), so a statement's text (and its
 * prepared form) is the same whatever the list's length: no placeholder per element, no
 * limit on how many variables one statement may hold. This is that parameter.
 */
export const listParam = (values: readonly unknown[]): string => JSON.stringify(values);
