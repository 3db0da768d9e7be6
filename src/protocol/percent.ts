/**
 * RFC 3986 strict percent-encoding, as both signature versions canonicalise: only
 * `A-Z a-z 0-9 - _ . ~` stay as they are (docs/reference/protocol.md section 5.1).
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * How many `&`-separated parts `text` holds, counting no further than `limit + 1`: a cheap
 * bound on what decodePairs would build, read before decoding anything.
 */
export function countPairs(text: string, limit: number): number {
  if (!text) return 0;
  let count = 1;
  for (let at = text.indexOf('&'); at >= 0 && count <= limit; at = text.indexOf('&', at + 1)) count++;
  return count;
}

/**
 * Decodes a query string or form body into ordered pairs. `+` is read as a space (no SDK
 * sends a raw `+`); a malformed escape is kept literally instead of failing the request.
 */
export function decodePairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!text) return pairs;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([safeDecode(rawName), safeDecode(rawValue)]);
  }
  return pairs;
}

function safeDecode(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `name=value` pairs sorted by name (code-unit order), each side percent-encoded, joined by `&`. */
export function canonicalPairs(pairs: Array<[string, string]>): string {
  return [...pairs]
    .sort(([a, va], [b, vb]) => (a < b ? -1 : a > b ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
}
