/**
 * The whole of Aftercare in one stack: stateful resources (table, queues) first, then the functions wired
 * to them, the integration policy, monitoring and the outputs integrators and operators need.
 */
import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Catalog } from '#domain/model.ts';
import type { FunctionSettings, LogLevel } from '../constructs/aftercare-function.ts';
import { DeliveryFeedback } from '../constructs/delivery-feedback.ts';
import { EventQueues } from '../constructs/event-queues.ts';
import { IntegrationSenderPolicy } from '../constructs/integration-sender-policy.ts';
import { Intake } from '../constructs/intake.ts';
import { Lifecycle } from '../constructs/lifecycle.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { Notices } from '../constructs/notices.ts';
import { StatefulStore } from '../constructs/stateful-store.ts';
import { Sweep } from '../constructs/sweep.ts';

export interface AftercareStackProps extends StackProps {
  readonly stage: string;
  readonly senderEmail: string;
  readonly operatorEmail: string;
  /** The catalog compiled at synth. */
  readonly catalog: Catalog;
  /**
   * Delete the table, queues, key and log groups with the stack (dev stacks only).
   * @default false (RETAIN)
   */
  readonly destroyOnRemoval?: boolean;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

export class AftercareStack extends Stack {
  readonly store: StatefulStore;
  readonly queues: EventQueues;
  readonly intake: Intake;
  readonly sweep: Sweep;
  readonly lifecycle: Lifecycle;
  readonly notices: Notices;
  readonly feedback: DeliveryFeedback;
  readonly monitoring: Monitoring;
  readonly integrationSenderPolicy: IntegrationSenderPolicy;

  constructor(scope: Construct, id: string, props: AftercareStackProps) {
    super(scope, id, props);
    const removalPolicy = props.destroyOnRemoval === true ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const settings: FunctionSettings = {
      catalog: props.catalog,
      removalPolicy,
      ...(props.logLevel === undefined ? {} : { logLevel: props.logLevel }),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    };
    // Every function may create operations notices (rejected events, warnings, parked events).
    const environment = { OPERATOR_EMAIL: props.operatorEmail };

    this.store = new StatefulStore(this, 'Store', { removalPolicy });
    this.queues = new EventQueues(this, 'Queues', { removalPolicy });
    const { table } = this.store;
    const { failedInvocations } = this.queues;

    this.intake = new Intake(this, 'Intake', {
      table,
      events: this.queues.events,
      deadLetters: this.queues.deadLetters,
      settings,
      environment,
    });
    this.sweep = new Sweep(this, 'Sweep', { table, settings, failedInvocations, environment });
    this.lifecycle = new Lifecycle(this, 'Lifecycle', { table, settings, failedInvocations, environment });
    this.notices = new Notices(this, 'Notices', {
      table,
      settings,
      failedInvocations,
      senderEmail: props.senderEmail,
      operatorEmail: props.operatorEmail,
    });
    this.feedback = new DeliveryFeedback(this, 'Feedback', {
      table,
      settings,
      configurationSet: this.notices.configurationSet,
      failedInvocations,
      environment,
    });
    this.integrationSenderPolicy = new IntegrationSenderPolicy(this, 'IntegrationSender', {
      events: this.queues.events,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      operatorEmail: props.operatorEmail,
      dashboardName: id,
      events: this.queues.events,
      deadLetterQueues: { EventsDlq: this.queues.deadLetters, FailedInvocations: failedInvocations },
      functions: {
        Intake: this.intake.function,
        Sweep: this.sweep.function,
        Lifecycle: this.lifecycle.function,
        Notifier: this.notices.function,
        Feedback: this.feedback.function,
      },
      removalPolicy,
    });

    for (const fn of [this.intake.function, this.sweep.function, this.lifecycle.function, this.notices.function, this.feedback.function]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 (LTS) is the runtime this project pins and tests for; moving to a newer runtime is a ' +
          'deliberate change with its own test run, not a lint fix.',
      });
    }

    new CfnOutput(this, 'EventsQueueUrl', {
      value: this.queues.events.queueUrl,
      description: 'Integrations send v1 events here',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.queues.deadLetters.queueUrl,
      description: 'Poison events and exhausted retries',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'IntegrationSenderPolicyArn', {
      value: this.integrationSenderPolicy.policy.managedPolicyArn,
      description: 'Attach to an integration role: sqs:SendMessage on the events queue only',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value:
        `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}` +
        `#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
    });
  }
}
