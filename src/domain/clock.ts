/** Time and randomness are injected so tests and the job engine can control them. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Message-contact times: `yyyy-MM-dd HH:mm:ss` in UTC (docs/reference/model.md section 8). */
export function contactTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Directory objects: ISO 8601 UTC with milliseconds. */
export function directoryTime(ms: number): string {
  return new Date(ms).toISOString();
}
