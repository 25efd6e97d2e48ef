/**
 * Billing is told (docs/design.md#12-contract-changes-and-billing): the stack's EventBridge bus and the publisher
 * that drains the billing outbox into it — woken by the table's stream only for items with
 * `billing = pending`, allowed `events:PutEvents` on this bus only.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BILLING_OUTBOX } from '#store/billing-outbox-repository.ts';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';

export interface BillingProps {
  readonly table: ITable;
  readonly settings: FunctionSettings;
  /** Where stream batches go after the retries are exhausted. */
  readonly failedInvocations: IQueue;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default a name CloudFormation generates */
  readonly eventBusName?: string;
  /** @default 5 */
  readonly retryAttempts?: number;
}

/** Read the outbox item (and its contract's currency) consistently, and mark it published (UpdateItem). */
export const BILLING_TABLE_ACCESS: TableAccess = {
  items: ['BatchGetItem', 'UpdateItem'],
  partitions: ['CONTRACT#*'],
};

export class Billing extends Construct {
  readonly bus: EventBus;
  readonly function: AftercareFunction;

  constructor(scope: Construct, id: string, props: BillingProps) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', {
      ...(props.eventBusName === undefined ? {} : { eventBusName: props.eventBusName }),
      description: 'Aftercare billing events: credits booked and reversed, years closed, terminations accepted, contracts ended',
    });

    this.function = new AftercareFunction(this, 'Function', {
      name: 'billing',
      description: 'Publishes the billing outbox to the billing event bus',
      settings: props.settings,
      environment: { ...props.environment, BILLING_EVENT_BUS: this.bus.eventBusName },
    }).bindTable(props.table, BILLING_TABLE_ACCESS);
    // events:PutEvents on this bus only (grantPutEventsTo scopes the statement to the bus ARN).
    this.bus.grantPutEventsTo(this.function);

    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: props.retryAttempts ?? 5,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(props.failedInvocations),
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { [BILLING_OUTBOX.attribute]: { S: [BILLING_OUTBOX.pending] } } },
          }),
        ],
      }),
    );
    Validations.of(this.function.role ?? this.function).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'dynamodb:ListStreams only (from the stream event source grant): the action supports no resource-level ' +
        'permission; reading records is scoped to this table\'s stream ARN.',
    });
  }
}
