/**
 * How DynamoDB failures become our errors: throttling and transient service faults are retryable
 * (`TransientDependencyError`, so SQS or the schedule tries again); everything else is thrown as it is.
 * One list for every repository on the table.
 */
import { TransientDependencyError } from '../errors.ts';

const TRANSIENT_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
]);

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** The error to throw for a failed DynamoDB call. */
export function translateDynamoError(error: unknown): unknown {
  const name = errorName(error);
  return TRANSIENT_ERRORS.has(name) ? new TransientDependencyError(`DynamoDB: ${name}`, { cause: error }) : error;
}
