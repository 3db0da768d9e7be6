import { setTimeout as sleep } from 'node:timers/promises';

export interface Patience {
  /** How many times `probe` is asked at most. */
  tries?: number;
  /** The pause between two asks. */
  intervalMs?: number;
}

/**
 * Asks `probe` until it answers something other than undefined, null or false, and resolves
 * to that answer; fails naming `what` once `tries` asks went unanswered. For state another
 * process or the worker reaches in its own time: the wait is bounded, and no test asserts how
 * long it took.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { tries = 3000, intervalMs = 10 }: Patience = {},
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const answer = await probe();
    if (answer !== undefined && answer !== null && answer !== false) return answer;
    await sleep(intervalMs);
  }
  throw new Error(`gave up waiting: ${what}`);
}
