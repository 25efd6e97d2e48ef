/**
 * Intake: the function that drains the events queue in batches, reports failed records one by one, and
 * sends poison messages straight to the dead-letter queue with the error attached (DESIGN §6).
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
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
  readonly events: IQueue;
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
      description: 'Applies integration events from the events queue to contracts and cases',
      settings: props.settings,
      timeout: Duration.seconds(INTAKE_TIMEOUT_SECONDS),
      environment: { ...props.environment, DLQ_URL: props.deadLetters.queueUrl },
    }).bindTable(props.table, INTAKE_TABLE_ACCESS);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetters.queueArn] }),
    );
    this.function.addEventSource(
      new SqsEventSource(props.events, {
        batchSize: props.batchSize ?? INTAKE_BATCH_SIZE,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(INTAKE_BATCHING_WINDOW_SECONDS),
        maxConcurrency: props.maxConcurrency ?? INTAKE_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
  }
}
