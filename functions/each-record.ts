/**
 * The one way a batch function fails a record (STYLE 3 and 14): Powertools' `BatchProcessor` hands each
 * record of an SQS batch or a DynamoDB Stream batch to the record handler, and each record whose handler
 * throws is reported in `batchItemFailures` — SQS redelivers only those, a stream retries from the first.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, SQSBatchResponse, SQSRecord } from 'aws-lambda';

interface Batches {
  readonly SQS: { readonly record: SQSRecord; readonly response: SQSBatchResponse };
  readonly DynamoDBStreams: { readonly record: DynamoDBRecord; readonly response: DynamoDBBatchResponse };
}

export async function processEachRecord<TSource extends keyof Batches>(
  source: TSource,
  records: readonly Batches[TSource]['record'][],
  context: Context,
  handleRecord: (record: Batches[TSource]['record']) => Promise<unknown>,
): Promise<Batches[TSource]['response']> {
  // A processor keeps the batch's records and failures on itself while it runs, and `process` resets them
  // first: reused as Powertools' module-scope processor is, but one invocation at a time each (the local
  // stack runs the intake on both queues at once), so built once per concurrent invocation, not per call.
  const processor = idle[source].pop() ?? new BatchProcessor(EventType[source]);
  try {
    return await processPartialResponse({ Records: [...records] }, handleRecord, processor, {
      context,
      // One record after the other: two events of one case must not race for the same item, and a stream's
      // records are applied in the order they were written.
      processInParallel: false,
      // A batch whose every record failed is reported record by record like any other, not thrown: the
      // invocation succeeds, so the function's Errors metric counts only what broke the function itself.
      throwOnFullBatchFailure: false,
    });
  } finally {
    idle[source].push(processor);
  }
}

/** Processors not running a batch, per source. */
const idle: Record<keyof Batches, BatchProcessor[]> = { SQS: [], DynamoDBStreams: [] };
