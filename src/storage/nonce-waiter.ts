/** How often a store clears expired signature nonces; any node's sweep serves them all. */
export const NONCE_SWEEP_EVERY_MS = 60_000;

/**
 * A request waiting for its nonce to be written with the next group (both stores commit
 * nonces in groups): answered fresh or not once the group commits, failed if it does not.
 */
export interface NonceWaiter {
  accessKeyId: string;
  nonce: string;
  expiresAt: number;
  now: number;
  answer: (fresh: boolean) => void;
  fail: (err: unknown) => void;
}
