/**
 * Sweep: every minute, declares breaches of clocks past their deadline (after the grace period), raises
 * breach warnings and re-drives stuck notices and parked events (docs/design.md#order-and-duplicates, docs/design.md#7-notices).
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';
import { ScheduledInvocation } from './scheduled-invocation.ts';

export interface SweepProps {
  readonly table: ITable;
  readonly settings: FunctionSettings;
  /** Where Scheduler puts invocations it could not deliver. */
  readonly failedInvocations: IQueue;
  /**
   * Extra environment variables.
   * @default {} (none)
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Under a minute: a run ends before the next minute's starts.
   * @default Duration.seconds(50)
   */
  readonly timeout?: Duration;
}

/** The schedule's period: the sweep runs every minute. */
export const SWEEP_PERIOD = Duration.minutes(1);

/** Due items come from the attention index (keys only), then are read and updated on the table. */
export const SWEEP_TABLE_ACCESS: TableAccess = {
  items: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  query: ['table', 'attention'],
};

export class Sweep extends Construct {
  readonly function: AftercareFunction;
  readonly invocation: ScheduledInvocation;

  constructor(scope: Construct, id: string, props: SweepProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(50);
    if (timeout.toSeconds() >= SWEEP_PERIOD.toSeconds()) {
      throw new Error(
        `Sweep: timeout (${timeout.toSeconds()} s) must be under ${SWEEP_PERIOD.toSeconds()} s: the sweep runs every minute, and two runs must not overlap`,
      );
    }
    this.function = new AftercareFunction(this, 'Function', {
      name: 'sweep',
      description: 'Every minute: declares due breaches, raises warnings, re-drives stuck notices',
      settings: props.settings,
      timeout,
      environment: props.environment,
    }).bindTable(props.table, SWEEP_TABLE_ACCESS);
    // A failed run is not retried by Lambda: the next minute's run is the retry.
    this.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    this.invocation = new ScheduledInvocation(this, 'EveryMinute', {
      function: this.function,
      schedule: ScheduleExpression.rate(SWEEP_PERIOD),
      description: 'Aftercare sweep, every minute',
      deadLetterQueue: props.failedInvocations,
      retryAttempts: 2,
      maxEventAge: Duration.minutes(2),
    });
  }
}
