/** A request target as it came on the request line: path and query, never normalised. */
export interface Target {
  path: string;
  /** Everything after the first `?`, still percent-encoded; empty when there is none. */
  query: string;
}

/**
 * Splits an origin-form target (`/path?query`). Routing looks at these raw bytes only: no URL
 * parser resolves dot segments or reads `//host/...` as an authority, so what a route sees is
 * exactly what the caller sent. Any other form (`//x/_rdmc/reset`, `http://host/`, `*`) names
 * no route of rdmc: null.
 */
export function parseTarget(raw: string | undefined): Target | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: '' } : { path: raw.slice(0, q), query: raw.slice(q + 1) };
}
