/**
 * Delivery feedback (docs/design.md#7-notices): the notices' configuration set publishes SES bounces and complaints to
 * the default EventBridge bus; a rule scoped to that configuration set invokes the feedback function,
 * which marks the notice bounced / complained, alerts operations and suppresses the address.
 *
 * EventBridge rather than an SNS topic: SES publishes to the default bus without a topic, key or topic
 * policy to keep (and cdk-nag to satisfy); the rule filters by event type and configuration set; the
 * target's retries and dead-letter queue cover invocations EventBridge could not make, and the function's
 * asynchronous retries and on-failure destination cover the invocations that failed. Both end in the
 * stack's failed-invocations queue, which is alarmed.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EmailSendingEvent, EventDestination, type ConfigurationSet } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AftercareFunction, type FunctionSettings, type TableAccess } from './aftercare-function.ts';

/** The EventBridge detail types of the SES events the function handles. */
export const FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'] as const;

export interface DeliveryFeedbackProps {
  readonly table: ITable;
  readonly settings: FunctionSettings;
  /** The configuration set every notice is sent through (Notices). */
  readonly configurationSet: ConfigurationSet;
  /** Where feedback ends up that could not be delivered to the function or failed in it after its retries. */
  readonly failedInvocations: IQueue;
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Read the message pointer and the notice (GetItem), settle the notice and write the suppression
 * (UpdateItem), create the operations alert (PutItem): only in the partitions of notices (a contract's,
 * OPS), message pointers and suppressions. No delete, no query, no index.
 */
export const FEEDBACK_TABLE_ACCESS: TableAccess = {
  items: ['GetItem', 'UpdateItem', 'PutItem'],
  partitions: ['CONTRACT#*', 'OPS', 'SESMSG#*', 'SUPPRESSION#*'],
};

export class DeliveryFeedback extends Construct {
  readonly function: AftercareFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: DeliveryFeedbackProps) {
    super(scope, id);
    // SES publishes configuration-set events to the default bus only.
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    props.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(defaultBus),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.function = new AftercareFunction(this, 'Function', {
      name: 'feedback',
      description: 'Records SES bounces and complaints on their notices and suppresses the address',
      settings: props.settings,
      environment: props.environment,
    }).bindTable(props.table, FEEDBACK_TABLE_ACCESS);
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(props.failedInvocations),
    });

    this.rule = new Rule(this, 'Rule', {
      description: 'SES bounces and complaints of the Aftercare notices',
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...FEEDBACK_DETAIL_TYPES],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(this.function, {
          deadLetterQueue: props.failedInvocations,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
