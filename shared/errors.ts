/**
 * Errors as data with names and stable codes. One place, `outcomeOfFailure` in outcomes.ts, turns
 * any thrown value into an outcome (retry, dead-letter, reject, quarantine); every handler uses it.
 */

export abstract class AftercareError extends Error {
  abstract readonly code: string;
  /** Whether retrying the same input later may succeed (SQS redelivery, the next sweep). */
  abstract readonly retryable: boolean;
  override readonly name: string = this.constructor.name;
}

/** The message body is not JSON or not a valid v1 event: dead-letter it at once with the reason. */
export class PoisonMessageError extends AftercareError {
  readonly code = 'POISON_MESSAGE';
  readonly retryable = false;
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A valid event the contract rules refuse, found deep inside its application: recorded as rejected with the reason. */
export class RuleRefusalError extends AftercareError {
  readonly code = 'RULE_REFUSAL';
  readonly retryable = false;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * A valid event on the queue of the other sender policy (docs/design.md#6-the-event-contract-v1: contract events and case events
 * arrive on two queues): dead-letter it at once, naming the queue it belongs on.
 */
export class WrongQueueError extends AftercareError {
  readonly code = 'WRONG_QUEUE';
  readonly retryable = false;
  readonly path = 'type';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Optimistic locking lost too many times in a row: fail the record so SQS redelivers it. */
export class ConcurrencyConflictError extends AftercareError {
  readonly code = 'CONCURRENCY_CONFLICT';
  readonly retryable = true;
}

/** A dependency (DynamoDB, SES, SQS) throttled or failed transiently. */
export class TransientDependencyError extends AftercareError {
  readonly code = 'TRANSIENT_DEPENDENCY';
  readonly retryable = true;
}

/** The billing bus refused entries (or the call) through every try: the stream retries the item. */
export class BillingNotPublishedError extends AftercareError {
  readonly code = 'BILLING_NOT_PUBLISHED';
  readonly retryable = true;
}

/**
 * A `loan.returned` for a unit no loan of which has started by the return (docs/design.md#10-service-structures-loan-units-and-spare-parts-pools):
 * the draw it ends comes on the cases queue and may not have been taken yet, so the return is received
 * again later; one that never finds its loan ends in the dead-letter queue with this reason.
 */
export class LoanNotArrivedError extends AftercareError {
  readonly code = 'LOAN_NOT_ARRIVED';
  readonly retryable = true;
}

/** Configuration is missing or wrong: fail loudly at cold start. */
export class ConfigurationError extends AftercareError {
  readonly code = 'CONFIGURATION';
  readonly retryable = false;
}

/** Some contracts were not advanced; a retry (or tomorrow's run) picks them up where they stopped. */
export class LifecycleIncompleteError extends AftercareError {
  readonly code = 'LIFECYCLE_INCOMPLETE';
  readonly retryable = true;
}

/** A phase of the sweep (the notice upkeep, or listing due cases or parked events) failed as a whole. */
export class SweepIncompleteError extends AftercareError {
  readonly code = 'SWEEP_INCOMPLETE';
  readonly retryable = true;
}

/**
 * No notice carries this SES message id (yet). Retryable: SES can report a bounce before the notifier has
 * marked the notice sent; once retries are exhausted the event lands in the failed-invocations queue.
 */
export class FeedbackNotMatchedError extends AftercareError {
  readonly code = 'FEEDBACK_NOT_MATCHED';
  readonly retryable = true;
  constructor(readonly messageId: string) {
    super(`no notice was sent with SES message id ${messageId}`);
  }
}

export type CatalogErrorCode = 'CATALOG_INVALID' | 'CATALOG_UNREADABLE';

/** The catalog cannot be used (shared/config/catalog.ts): `issues` names every bad field by its path. */
export class CatalogError extends AftercareError {
  readonly retryable = false;
  constructor(
    readonly code: CatalogErrorCode,
    readonly issues: readonly string[],
    source = 'catalog',
  ) {
    super(`${source} is invalid:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
  }
}

/** A level names a calendar the catalog lacks (catalog load refuses that): a configuration fault, not retryable. */
export class UnknownCalendarError extends AftercareError {
  readonly code = 'UNKNOWN_CALENDAR';
  readonly retryable = false;
  constructor(readonly calendar: string) {
    super(`no calendar named "${calendar}"`);
  }
}

/**
 * A commit that DynamoDB would refuse (shared/store/transaction.ts): never sent. Not transient: retrying
 * the same commit fails the same way. A plain Error, no code: outcomes.ts quarantines it by its class.
 */
export class TransactionLimitError extends Error {
  override readonly name = 'TransactionLimitError';
}

/** An item that would outgrow DynamoDB's 400 KB even split (shared/store/overflow.ts); quarantined like the above. */
export class ItemSizeLimitError extends Error {
  override readonly name = 'ItemSizeLimitError';
}
