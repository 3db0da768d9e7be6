import { errors } from '../domain/errors.js';

export interface ThrottleSettings {
  /** Requests a second each caller may make, on average (RDMC_THROTTLE_RATE). */
  ratePerSecond: number;
  /** Requests a caller may make at once after being idle (RDMC_THROTTLE_BURST). */
  burst: number;
}

/**
 * Callers with a bucket at once. Only callers that signed with a configured key get one, so
 * the configuration bounds them already; this bounds the map whatever the configuration.
 * The bucket left out is the one idle longest, full or nearly: leaving it out costs nothing.
 */
export const MAX_BUCKETS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-caller throttling, as Alibaba Cloud's gateway does it (`Throttling.User`): a token
 * bucket per caller account, in this node's memory, so a cluster admits each caller up to
 * the rate times its number of nodes. The pipeline asks after the signature is verified (a
 * caller is known only then) and before the nonce is written, so a flood of signed requests
 * past the rate writes nothing and the nonce table grows at most at the rate.
 */
export class CallerThrottle {
  /** In order of last use: the first is the one idle longest. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: ThrottleSettings,
    private readonly now: () => number,
  ) {}

  /** Takes one request's token from the caller's bucket, or refuses the request with `Throttling.User`. */
  admit(caller: string): void {
    const now = this.now();
    const { ratePerSecond, burst } = this.settings;
    let bucket = this.buckets.get(caller);
    if (bucket) {
      this.buckets.delete(caller);
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) * ratePerSecond) / 1000);
      bucket.at = now;
    } else {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: burst, at: now };
    }
    this.buckets.set(caller, bucket);
    if (bucket.tokens < 1) throw errors.throttled();
    bucket.tokens -= 1;
  }

  /** Callers with a bucket now (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }
}
