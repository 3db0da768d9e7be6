/** The most a job's or a delivery's LastError keeps, in UTF-8 bytes (docs/operations.md, Redrive). */
export const LAST_ERROR_BYTES = 1024;

/** How deep a cause chain goes, how many members of an AggregateError and how many errors in all are read: bounds the work on a hostile or cyclic error. */
const MOST_LEVELS = 8;
const MOST_MEMBERS = 8;
const MOST_ERRORS = 64;

/** Properties the network and system errors of Node and its libraries carry: what says which far side failed and how. */
const FACTS = ['code', 'originalCode', 'errno', 'syscall', 'command', 'responseCode'] as const;

function facts(err: Record<string, unknown>): string {
  const parts = FACTS.filter((k) => err[k] !== undefined && err[k] !== null && err[k] !== '').map((k) => `${k}=${String(err[k])}`);
  // The far side as address:port (IPv6 in brackets), as `connect` and `getaddrinfo` errors report it.
  if (typeof err.address === 'string') {
    const host = err.address.includes(':') ? `[${err.address}]` : err.address;
    parts.push(`address=${err.port === undefined ? host : `${host}:${String(err.port)}`}`);
  } else if (typeof err.hostname === 'string') parts.push(`hostname=${err.hostname}`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

/** One level: `Name: message (code=… errno=… syscall=… address=host:port)`, then its AggregateError members. */
function level(err: unknown, depth: number, seen: Set<unknown>): string {
  if (!(err instanceof Error)) return String(err);
  seen.add(err);
  const record = err as unknown as Record<string, unknown>;
  let text = `${err.name}: ${err.message}${facts(record)}`;
  if (err instanceof AggregateError && Array.isArray(err.errors)) {
    const members = err.errors.slice(0, MOST_MEMBERS).map((m, i) => `[${i + 1}] ${chain(m, depth + 1, seen)}`);
    const more = err.errors.length > MOST_MEMBERS ? ` [+${err.errors.length - MOST_MEMBERS} more]` : '';
    text += ` {${members.join('; ')}${more}}`;
  }
  return text;
}

function chain(err: unknown, depth: number, seen: Set<unknown>): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && depth < MOST_LEVELS; depth++) {
    if (seen.has(e)) {
      parts.push('(cycle)');
      break;
    }
    if (seen.size >= MOST_ERRORS) {
      parts.push('(more)');
      break;
    }
    parts.push(level(e, depth, seen));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' <- caused by: ');
}

/** Cuts text to `bytes` of UTF-8 without splitting a character, marking the cut with an ellipsis. */
export function cutToBytes(text: string, bytes: number): string {
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= bytes) return text;
  const ellipsis = '…';
  const kept = encoded.subarray(0, bytes - Buffer.byteLength(ellipsis)).toString('utf8').replace(/\uFFFD+$/, '');
  return kept + ellipsis;
}

/**
 * What a failed attempt leaves in LastError: the whole cause chain, each level with its
 * name, message, code, errno, syscall and far side (a `fetch failed` says nothing; its cause
 * `connect ECONNREFUSED 127.0.0.1:2525` says what to fix), AggregateError members included
 * (a host name that resolves to several addresses fails once per address), cut to
 * LAST_ERROR_BYTES.
 */
export function describeFailure(err: unknown): string {
  return cutToBytes(chain(err, 0, new Set()), LAST_ERROR_BYTES);
}
