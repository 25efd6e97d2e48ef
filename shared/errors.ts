/**
 * Errors as data with names and stable codes. One place (the handlers' error mapping) turns them into
 * outcomes: retry the record, dead-letter it, or record a rejection.
 */

export abstract class AftercareError extends Error {
  abstract readonly code: string;
  /** Whether retrying the same input later may succeed (SQS redelivery). */
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

/**
 * A valid event on the queue of the other sender policy (DESIGN §6: contract events and case events
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

/** Configuration is missing or wrong: fail loudly at cold start. */
export class ConfigurationError extends AftercareError {
  readonly code = 'CONFIGURATION';
  readonly retryable = false;
}
