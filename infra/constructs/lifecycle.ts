/**
 * Lifecycle: daily at 06:00 Oslo time, the yearly contract cycle — renewals and reminders, anniversaries
 * with their statements, expiry (docs/design.md#4-contracts, docs/design.md#7-notices).
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';
import { ScheduledInvocation } from './scheduled-invocation.ts';

export interface LifecycleProps {
  readonly table: ITable;
  readonly settings: FunctionSettings;
  /** Where failed runs end up: undeliverable by Scheduler, or failing after Lambda's retries. */
  readonly failedInvocations: IQueue;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
}

/** Contracts due on a date come from the attention index, then are read and updated on the table. */
export const LIFECYCLE_TABLE_ACCESS: TableAccess = {
  items: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  query: ['table', 'attention'],
};

export class Lifecycle extends Construct {
  readonly function: AftercareFunction;
  readonly invocation: ScheduledInvocation;

  constructor(scope: Construct, id: string, props: LifecycleProps) {
    super(scope, id);
    this.function = new AftercareFunction(this, 'Function', {
      name: 'lifecycle',
      description: 'Daily: renewals, reminders, anniversaries with statements, expiry',
      settings: props.settings,
      timeout: props.timeout ?? Duration.minutes(5),
      environment: props.environment,
    }).bindTable(props.table, LIFECYCLE_TABLE_ACCESS);
    // Runs once a day, so a failure after Lambda's own retries is kept for an operator to replay.
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(props.failedInvocations),
    });
    this.invocation = new ScheduledInvocation(this, 'Daily', {
      function: this.function,
      schedule: ScheduleExpression.cron({ minute: '0', hour: '6', timeZone: TimeZone.of('Europe/Oslo') }),
      description: 'Aftercare lifecycle, daily at 06:00 Europe/Oslo',
      deadLetterQueue: props.failedInvocations,
      retryAttempts: 5,
      maxEventAge: Duration.hours(6),
    });
  }
}
