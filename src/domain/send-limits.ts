/** The verification send limits (SendEmail/PhoneVerificationForMessageContact), counted by src/services/verification.ts. */
/** The window of the per-address limit. */
export const TARGET_WINDOW_MS = 60_000;
/** The longest window a send is counted in: RDMC_RETENTION_SEND_COUNTERS_MS keeps counters at least this long (its minimum, src/config/settings.ts). */
export const SEND_WINDOW_MS = 24 * 60 * TARGET_WINDOW_MS;
/**
 * What Alibaba Cloud documents (docs/reference/model.md section 5): 10 a minute per address
 * or number, and 100 a day per account. Both are each account's own: one tenant's sends to
 * an address never use up another's. The account's cap also bounds a tenant that spreads
 * its sends over many spellings of one mailbox (`tom+1@`, `t.om@`, a domain in Unicode and
 * in punycode).
 */
export const SEND_LIMITS = { perTargetPerMinute: 10, perAccountPerDay: 100 };
