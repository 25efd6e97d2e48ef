/**
 * The one way a batch function fails a record (STYLE 3 and 14): Powertools' `BatchProcessor` hands each
 * record of an SQS batch or a DynamoDB Stream batch to the record handler, and each record whose handler
 * throws is reported in `batchItemFailures` — SQS redelivers only those, a stream retries from the first.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { BaseRecord, BatchProcessingOptions, EventSourceDataClassTypes, PartialItemFailureResponse } from '@aws-lambda-powertools/batch/types';
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
  const processor = idle[source].pop() ?? new PooledBatchProcessor(EventType[source]);
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

/** What a processor holds while it runs a batch (Powertools' BatchProcessingStore, one invocation's worth). */
interface BatchState {
  records: BaseRecord[];
  handler: CallableFunction;
  options: BatchProcessingOptions | undefined;
  successMessages: EventSourceDataClassTypes[];
  failureMessages: EventSourceDataClassTypes[];
  errors: Error[];
  batchResponse: PartialItemFailureResponse;
}

/**
 * Powertools' `BatchProcessor`, its batch state kept on the processor itself. Powertools' store re-reads
 * `AWS_LAMBDA_MAX_CONCURRENCY` from `process.env` at each of its ≈ 14 reads and writes of a batch, to
 * choose between the processor's fields and Lambda's `InvokeStore` (for invocations running at once in
 * one process); a read of `process.env` costs as much as the rest of a one-record batch. The pool above
 * already gives each running invocation a processor of its own, which is the isolation `InvokeStore`
 * would give, so the fields are right in every mode. Records, handlers and responses stay Powertools'.
 */
class PooledBatchProcessor extends BatchProcessor {
  // Not initialised as a field: the base constructor writes `batchResponse` through the setters below
  // before a field initialiser would run.
  declare private state?: BatchState;

  private held(): BatchState {
    this.state ??= {
      records: [],
      handler: () => undefined,
      options: undefined,
      successMessages: [],
      failureMessages: [],
      errors: [],
      batchResponse: { batchItemFailures: [] },
    };
    return this.state;
  }

  override get records(): BaseRecord[] {
    return this.held().records;
  }
  protected override set records(records: BaseRecord[]) {
    this.held().records = records;
  }
  override get handler(): CallableFunction {
    return this.held().handler;
  }
  protected override set handler(handler: CallableFunction) {
    this.held().handler = handler;
  }
  override get options(): BatchProcessingOptions | undefined {
    return this.held().options;
  }
  protected override set options(options: BatchProcessingOptions | undefined) {
    this.held().options = options;
  }
  override get successMessages(): EventSourceDataClassTypes[] {
    return this.held().successMessages;
  }
  protected override set successMessages(messages: EventSourceDataClassTypes[]) {
    this.held().successMessages = messages;
  }
  override get failureMessages(): EventSourceDataClassTypes[] {
    return this.held().failureMessages;
  }
  protected override set failureMessages(messages: EventSourceDataClassTypes[]) {
    this.held().failureMessages = messages;
  }
  override get errors(): Error[] {
    return this.held().errors;
  }
  protected override set errors(errors: Error[]) {
    this.held().errors = errors;
  }
  protected override get batchResponse(): PartialItemFailureResponse {
    return this.held().batchResponse;
  }
  protected override set batchResponse(response: PartialItemFailureResponse) {
    this.held().batchResponse = response;
  }
}
