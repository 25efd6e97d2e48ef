/**
 * The events queue's timing, shared by the CDK stack and the local stack so redelivery behaves the same.
 * AWS guidance: an SQS-triggered function's queue visibility timeout ≥ 6 × the function timeout plus the
 * batching window, so a batch the poller retries after throttling is not redelivered while still in flight.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */

export const INTAKE_TIMEOUT_SECONDS = 30;
export const INTAKE_BATCH_SIZE = 10;
export const INTAKE_BATCHING_WINDOW_SECONDS = 2;
/** Parallel batches at most; fewer concurrent writers means fewer transaction conflicts on one contract. */
export const INTAKE_MAX_CONCURRENCY = 5;

export const EVENTS_VISIBILITY_TIMEOUT_SECONDS = 6 * INTAKE_TIMEOUT_SECONDS + INTAKE_BATCHING_WINDOW_SECONDS;
/** Receives before SQS moves a message to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
// A redriven message keeps its original enqueue time, so the DLQ must keep messages longer than the source.
export const EVENTS_RETENTION_DAYS = 4;
export const DEAD_LETTER_RETENTION_DAYS = 14;
