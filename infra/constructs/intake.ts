/**
 * Intake: the function that drains both event queues (contracts, cases) in batches, reports failed records
 * one by one, and sends poison messages and events on the wrong queue straight to the dead-letter queue
 * with the error attached (docs/design.md#6-the-event-contract-v1). It tells the queues apart by each record's `eventSourceARN`.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
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
  /** The contracts queue and the cases queue. */
  readonly queues: Readonly<Record<EventQueue, IQueue>>;
  /** Where the function sends poison messages itself. */
  readonly deadLetters: IQueue;
  readonly settings: FunctionSettings;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default INTAKE_BATCH_SIZE (10) */
  readonly batchSize?: number;
  /** @default Duration.seconds(INTAKE_BATCHING_WINDOW_SECONDS) */
  readonly maxBatchingWindow?: Duration;
  /** @default INTAKE_MAX_CONCURRENCY (5) */
  readonly maxConcurrency?: number;
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
    this.function = new AftercareFunction(this, 'Function', {
      name: 'intake',
      description: 'Applies integration events from the contracts and cases queues to contracts and cases',
      settings: props.settings,
      timeout: Duration.seconds(INTAKE_TIMEOUT_SECONDS),
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
          maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(INTAKE_BATCHING_WINDOW_SECONDS),
          maxConcurrency: props.maxConcurrency ?? INTAKE_MAX_CONCURRENCY,
          reportBatchItemFailures: true,
        }),
      );
    }
  }
}
