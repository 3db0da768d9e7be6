import { ApiError, errors } from '../domain/errors.js';
import { BudgetSpent } from '../storage/request-budget.js';
import { StoreUnavailable } from '../storage/unavailable.js';

/**
 * The catalogue error an exception is answered with, and whether it is unexpected (a bug, to
 * be logged with its stack). A store that is unavailable for a while is expected: 503
 * ServiceUnavailable, which clients retry; so is a request cut at its deadline
 * (RDMC_REQUEST_DEADLINE_MS). Anything else that is not a catalogue error is 500.
 */
export function answerable(err: unknown): { error: ApiError; unexpected: boolean } {
  if (err instanceof ApiError) return { error: err, unexpected: false };
  if (err instanceof StoreUnavailable || err instanceof BudgetSpent) return { error: errors.serviceUnavailable(), unexpected: false };
  return { error: errors.internalError(), unexpected: true };
}
