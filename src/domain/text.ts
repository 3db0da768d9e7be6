/**
 * C0 control characters and DEL: part of no name, address, ID or tag, and PostgreSQL cannot
 * even store NUL (a query carrying one fails as a whole). Every input that reaches a store
 * is refused with them, whichever door it came in by (API, state file, admin API).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
