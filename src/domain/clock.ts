/** Time and randomness are injected so tests and the job engine can control them. */
export interface Clock {
  now(): number;
  /** Calls `fn` once `ms` of this clock's time have passed; answers a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    // A pending timer never keeps the process alive: shutting down stops it explicitly.
    const timer = setTimeout(fn, ms).unref();
    return () => clearTimeout(timer);
  },
};

/** Message-contact times: `yyyy-MM-dd HH:mm:ss` in UTC (docs/reference/model.md section 8). */
export function contactTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * STS expirations and control-policy dates: ISO 8601 UTC to the second, `2015-04-09T11:52:19Z`. Go's credentials
 * library parses exactly that layout and fails on anything else (fractions included).
 */
export function stsTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Directory objects: ISO 8601 UTC with milliseconds. */
export function directoryTime(ms: number): string {
  return new Date(ms).toISOString();
}
