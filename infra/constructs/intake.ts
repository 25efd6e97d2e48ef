/**
 * Intake: the function that drains both event queues (contracts, cases) in batches, reports failed records
 * one by one, and sends poison messages and events on the wrong queue straight to the dead-letter queue
 * with the error attached (docs/design.md#6-the-event-contract-v1). It tells the queues apart by each record's `eventSourceARN`.
 */
import { Duration, Token } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnQueue, Queue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { EventQueue } from '#events/queues.ts';
import { Construct } from 'constructs';
import {
  INTAKE_BATCH_SIZE,
  INTAKE_BATCHING_WINDOW_SECONDS,
  INTAKE_MAX_CONCURRENCY,
  INTAKE_TIMEOUT_SECONDS,
} from '../queue-settings.ts';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';

export interface IntakeProps {
  readonly table: ITable;
  /**
   * The contracts queue and the cases queue. Each queue defined in this app must have a redrive policy and
   * a visibility timeout of at least 6 × the function timeout plus `maxBatchingWindow`.
   */
  readonly queues: Readonly<Record<EventQueue, IQueue>>;
  /** Where the function sends poison messages itself. */
  readonly deadLetters: IQueue;
  readonly settings: FunctionSettings;
  /**
   * Extra environment variables (DLQ_URL and the queue ARNs are set by the construct).
   * @default {} (none)
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Records per batch, 1 to 10 (SQS's limit without a batching window of its own).
   * @default INTAKE_BATCH_SIZE (10)
   */
  readonly batchSize?: number;
  /**
   * How long the poller gathers a batch; it counts in the visibility timeout the queues need.
   * @default Duration.seconds(INTAKE_BATCHING_WINDOW_SECONDS) (2 s)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Concurrent batches per queue, 2 to 1 000 (the event source mapping's range).
   * @default INTAKE_MAX_CONCURRENCY (5)
   */
  readonly maxConcurrency?: number;
}

/** The function timeout of intake: a batch of ten events takes well under a second. */
export const INTAKE_TIMEOUT = Duration.seconds(INTAKE_TIMEOUT_SECONDS);

/** Lambda's guidance: visibility ≥ 6 × function timeout + batching window (infra/queue-settings.ts). */
export function requiredVisibilitySeconds(timeout: Duration, maxBatchingWindow: Duration): number {
  return 6 * timeout.toSeconds() + maxBatchingWindow.toSeconds();
}

/** The visibility timeout a queue defined in this app was given, in seconds (SQS's default 30 when unset); undefined for an imported queue. */
function visibilityTimeoutSecondsOf(queue: IQueue): number | undefined {
  if (!(queue instanceof Queue)) return undefined;
  const resource = queue.node.defaultChild;
  if (!(resource instanceof CfnQueue)) return undefined;
  const seconds = resource.visibilityTimeout;
  if (seconds !== undefined && Token.isUnresolved(seconds)) return undefined;
  return seconds ?? 30;
}

function validateIntakeProps(props: IntakeProps, maxBatchingWindow: Duration): void {
  const batchSize = props.batchSize ?? INTAKE_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new Error(`Intake: batchSize must be a whole number from 1 to 10, not ${batchSize}`);
  }
  const required = requiredVisibilitySeconds(INTAKE_TIMEOUT, maxBatchingWindow);
  for (const [name, queue] of Object.entries(props.queues)) {
    const visibility = visibilityTimeoutSecondsOf(queue);
    if (visibility !== undefined && visibility < required) {
      throw new Error(
        `Intake: the ${name} queue's visibility timeout (${visibility} s) must be at least 6 × the function timeout ` +
          `(${INTAKE_TIMEOUT.toSeconds()} s) + maxBatchingWindow (${maxBatchingWindow.toSeconds()} s) = ${required} s, ` +
          'or a batch still in flight is delivered again',
      );
    }
    if (queue instanceof Queue && queue.deadLetterQueue === undefined) {
      throw new Error(`Intake: the ${name} queue needs a redrive policy (deadLetterQueue), or a record that always fails is retried until it expires`);
    }
  }
}

/** State changes and their notices in one transaction; parked events are read back by contract. */
export const INTAKE_TABLE_ACCESS: TableAccess = {
  items: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  query: ['table'],
};

export class Intake extends Construct {
  readonly function: AftercareFunction;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(INTAKE_BATCHING_WINDOW_SECONDS);
    validateIntakeProps(props, maxBatchingWindow);
    this.function = new AftercareFunction(this, 'Function', {
      name: 'intake',
      description: 'Applies integration events from the contracts and cases queues to contracts and cases',
      settings: props.settings,
      timeout: INTAKE_TIMEOUT,
      environment: {
        ...props.environment,
        DLQ_URL: props.deadLetters.queueUrl,
        CONTRACTS_QUEUE_ARN: props.queues.contracts.queueArn,
        CASES_QUEUE_ARN: props.queues.cases.queueArn,
      },
    }).bindTable(props.table, INTAKE_TABLE_ACCESS);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetters.queueArn] }),
    );
    // One mapping per queue; each has its own maxConcurrency (the queues' batches run side by side).
    for (const queue of [props.queues.contracts, props.queues.cases]) {
      this.function.addEventSource(
        new SqsEventSource(queue, {
          batchSize: props.batchSize ?? INTAKE_BATCH_SIZE,
          maxBatchingWindow,
          maxConcurrency: props.maxConcurrency ?? INTAKE_MAX_CONCURRENCY,
          reportBatchItemFailures: true,
        }),
      );
    }
  }
}
