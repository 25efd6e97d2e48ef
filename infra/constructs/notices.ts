/**
 * Notices: the notifier delivers pending outbox notices from the table's stream through SES v2, from the
 * verified sender identity only and always through the configuration set that records what happened.
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';

/**
 * The outbox items the notifier is woken for: attribute `entity` = `notice` and `state` = `pending` in
 * the item's new image. The store must write notices with exactly these attribute names and values.
 */
export const NOTICE_STREAM_FILTER = {
  entityAttribute: 'entity',
  entity: 'notice',
  stateAttribute: 'state',
  pending: 'pending',
} as const;

/** SES events counted per notice type; the notifier tags each email `noticeType=<type>`. */
export const SES_NOTICE_TYPE_TAG = 'noticeType';

export interface NoticesProps {
  readonly table: ITable;
  readonly settings: FunctionSettings;
  /** The From address of every notice; SES sends a verification email to it on deploy. */
  readonly senderEmail: string;
  readonly operatorEmail: string;
  /** Where stream batches go after the retries are exhausted. */
  readonly failedInvocations: IQueue;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 5 */
  readonly retryAttempts?: number;
}

/**
 * Read notices (BatchGetItem, GetItem), lease and settle them (UpdateItem), and put the operations alert
 * that a settlement creates in the same transaction (PutItem).
 */
export const NOTIFIER_TABLE_ACCESS: TableAccess = {
  items: ['GetItem', 'BatchGetItem', 'UpdateItem', 'PutItem'],
  query: ['table'],
};

export class Notices extends Construct {
  readonly function: AftercareFunction;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: NoticesProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', { reputationMetrics: true });
    this.configurationSet.addEventDestination('ToCloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        { name: SES_NOTICE_TYPE_TAG, source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'untagged' },
      ]),
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.DELIVERY_DELAY,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.RENDERING_FAILURE,
      ],
    });
    this.identity = new EmailIdentity(this, 'Sender', {
      identity: Identity.email(props.senderEmail),
      configurationSet: this.configurationSet,
    });

    this.function = new AftercareFunction(this, 'Function', {
      name: 'notifier',
      description: 'Delivers pending notices from the outbox through SES',
      settings: props.settings,
      environment: {
        ...props.environment,
        SENDER_EMAIL: props.senderEmail,
        OPERATOR_EMAIL: props.operatorEmail,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
      },
    }).bindTable(props.table, NOTIFIER_TABLE_ACCESS);

    // SES v2 authorises SendEmail against both the identity and the configuration set.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          this.identity.emailIdentityArn,
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSet.configurationSetName,
          }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': props.senderEmail } },
      }),
    );

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
            dynamodb: {
              NewImage: {
                // An event pattern's list of values is an equality match (what FilterRule.isEqual builds).
                [NOTICE_STREAM_FILTER.entityAttribute]: { S: [NOTICE_STREAM_FILTER.entity] },
                [NOTICE_STREAM_FILTER.stateAttribute]: { S: [NOTICE_STREAM_FILTER.pending] },
              },
            },
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
