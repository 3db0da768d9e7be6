/**
 * C0 control characters and DEL: part of no name, address, ID or tag, and PostgreSQL cannot
 * even store NUL (a query carrying one fails as a whole). Every input that reaches a store
 * is refused with them, whichever door it came in by (API, state file, admin API).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Whether `text` holds more than `max` characters (code points, as Alibaba's limits count
 * them), reading no more of it than decides: a character is one or two UTF-16 units, so only
 * a text between `max` and twice `max` units is counted, and a megabyte costs one comparison.
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > 2 * max) return true;
  let characters = 0;
  for (const _ of text) if (++characters > max) return true;
  return false;
}
