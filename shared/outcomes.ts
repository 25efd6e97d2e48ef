/**
 * The one mapping from a thrown value to what happens to the item that threw (STYLE 5, 14; docs/design.md#order-and-duplicates):
 * retry it later, dead-letter it (poison), record it as rejected (the rules refuse it), or quarantine
 * it (it keeps failing, or it cannot succeed by trying again). Handlers and sweeps act on the outcome;
 * none of them reads `retryable` or an error class itself.
 */
import { AftercareError, ItemSizeLimitError, PoisonMessageError, RuleRefusalError, TransactionLimitError } from './errors.ts';

export type FailureOutcome =
  /**
   * Try again later. `transient`: a dependency throttled or a race was lost — the item is not at fault,
   * so a sweep does not count it towards the item's bound (an outage must not quarantine the portfolio).
   */
  | { readonly kind: 'retry'; readonly code: string; readonly reason: string; readonly transient: boolean }
  /** Not a valid v1 event: to the dead-letter queue at once, with the field path and the reason. */
  | { readonly kind: 'dead-letter'; readonly code: string; readonly path: string; readonly reason: string }
  /** A valid event the contract rules refuse: recorded as rejected, with the reason. */
  | { readonly kind: 'reject'; readonly code: string; readonly reason: string }
  /** Failed its last attempt, or can never succeed by trying again: set aside with the reason and alerted. */
  | { readonly kind: 'quarantine'; readonly code: string; readonly reason: string };

/** How often the item has been tried, this attempt included, and how often it may be. */
export interface Attempts {
  readonly attempt: number;
  readonly maxAttempts: number;
}

/** Most reasons end up in an SQS attribute, a notice or a table item: long enough to read, short enough to store. */
const MAX_REASON_LENGTH = 500;

export function codeOf(error: unknown): string {
  if (error instanceof AftercareError) return error.code;
  if (error instanceof Error) return error.name === 'Error' ? 'UNEXPECTED' : error.name;
  return 'UNEXPECTED';
}

/** `Name: message`, cut to a bounded length. A poison reason may quote the body: callers never log it. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown value: ${String(error)}`;
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 1)}…`;
}

/**
 * - `PoisonMessageError` → dead-letter; `RuleRefusalError` → reject.
 * - An `AftercareError` that says it is not retryable (configuration, catalog), or a write DynamoDB
 *   would refuse (`TransactionLimitError`: over 100 items or 4 MB; `ItemSizeLimitError`: an overflow leaf
 *   past its size) → quarantine at once: the same input fails the same way until someone fixes the
 *   cause; retrying only delays the alert.
 * - A retryable `AftercareError` (throttling, lost races) → retry, `transient`.
 * - Anything else (an error we did not name: a bug, corrupt data, or an outage we do not recognise) →
 *   retry, not transient.
 * - Either retry becomes quarantine once `attempts` says the last allowed attempt failed. Without
 *   `attempts` (the caller cannot count them) the bound is the caller's own.
 */
export function outcomeOfFailure(error: unknown, attempts?: Attempts): FailureOutcome {
  const code = codeOf(error);
  if (error instanceof PoisonMessageError) return { kind: 'dead-letter', code, path: error.path, reason: error.reason };
  if (error instanceof RuleRefusalError) return { kind: 'reject', code, reason: error.reason };
  const reason = reasonOf(error);
  if (isPermanent(error)) return { kind: 'quarantine', code, reason };
  if (attempts !== undefined && attempts.attempt >= attempts.maxAttempts) {
    return { kind: 'quarantine', code, reason: `${reason} (failed ${attempts.attempt} times)` };
  }
  return { kind: 'retry', code, reason, transient: error instanceof AftercareError };
}

/** Fails the same way however often it is tried. */
function isPermanent(error: unknown): boolean {
  if (error instanceof AftercareError) return !error.retryable;
  return error instanceof TransactionLimitError || error instanceof ItemSizeLimitError;
}
