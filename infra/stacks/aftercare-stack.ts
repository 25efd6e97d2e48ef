/**
 * The whole of Aftercare in one stack: stateful resources (table, queues) first, then the functions wired
 * to them, the integration policy, monitoring and the outputs integrators and operators need.
 */
import { CfnOutput, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { Catalog } from '#domain/model.ts';
import type { FunctionSettings, LogLevel } from '../constructs/aftercare-function.ts';
import { Billing } from '../constructs/billing.ts';
import { DeliveryFeedback } from '../constructs/delivery-feedback.ts';
import { EventQueues } from '../constructs/event-queues.ts';
import { IntegrationSenderPolicy } from '../constructs/integration-sender-policy.ts';
import { Intake } from '../constructs/intake.ts';
import { Lifecycle } from '../constructs/lifecycle.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { Notices } from '../constructs/notices.ts';
import { StatefulStore } from '../constructs/stateful-store.ts';
import { Sweep } from '../constructs/sweep.ts';
import { Webhooks } from '../constructs/webhooks.ts';
import type { WebhookSources } from '#adapters/mapping.ts';

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
  /** The webhook sources and their field mapping (docs/design.md#13-integrations). */
  readonly webhookSources: WebhookSources;
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
  readonly billing: Billing;
  readonly monitoring: Monitoring;
  readonly webhooks: Webhooks;
  /** sqs:SendMessage on the contracts queue only: for a CRM or billing system. */
  readonly contractsSenderPolicy: IntegrationSenderPolicy;
  /** sqs:SendMessage on the cases queue only: for helpdesks and field-service tools. */
  readonly casesSenderPolicy: IntegrationSenderPolicy;

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
      queues: { contracts: this.queues.contracts, cases: this.queues.cases },
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
    this.billing = new Billing(this, 'Billing', { table, settings, failedInvocations, environment });
    this.contractsSenderPolicy = new IntegrationSenderPolicy(this, 'ContractsSender', {
      queue: this.queues.contracts,
      carries: 'contract events (contract.*)',
    });
    this.casesSenderPolicy = new IntegrationSenderPolicy(this, 'CasesSender', {
      queue: this.queues.cases,
      carries: 'case events (case.*)',
    });
    this.webhooks = new Webhooks(this, 'Webhooks', {
      table,
      casesQueue: this.queues.cases,
      deadLetters: this.queues.deadLetters,
      sources: props.webhookSources,
      settings,
      secretPrefix: `aftercare/${props.stage}/webhooks/`,
      environment,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      operatorEmail: props.operatorEmail,
      dashboardName: id,
      eventQueues: { Contracts: this.queues.contracts, Cases: this.queues.cases },
      deadLetterQueues: { EventsDlq: this.queues.deadLetters, FailedInvocations: failedInvocations },
      functions: {
        Intake: this.intake.function,
        Sweep: this.sweep.function,
        Lifecycle: this.lifecycle.function,
        Notifier: this.notices.function,
        Feedback: this.feedback.function,
        Billing: this.billing.function,
        Webhooks: this.webhooks.function,
      },
      removalPolicy,
    });

    for (const fn of [this.intake.function, this.sweep.function, this.lifecycle.function, this.notices.function, this.feedback.function, this.billing.function, this.webhooks.function]) {
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 (LTS) is the runtime this project pins and tests for; moving to a newer runtime is a ' +
          'deliberate change with its own test run, not a lint fix.',
      });
    }

    new CfnOutput(this, 'ContractsQueueUrl', {
      value: this.queues.contracts.queueUrl,
      description: 'A CRM or billing system sends v1 contract events (contract.*) here',
    });
    new CfnOutput(this, 'CasesQueueUrl', {
      value: this.queues.cases.queueUrl,
      description: 'Helpdesks and field-service tools send v1 case events (case.*) here',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.queues.deadLetters.queueUrl,
      description: 'Poison events, events on the wrong queue and exhausted retries (of both queues)',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'BillingEventBusArn', {
      value: this.billing.bus.eventBusArn,
      description: 'A billing integration adds a rule here for source aftercare.billing (README, "Billing events")',
    });
    new CfnOutput(this, 'ContractsSenderPolicyArn', {
      value: this.contractsSenderPolicy.policy.managedPolicyArn,
      description: 'Attach to a CRM or billing integration role: sqs:SendMessage on the contracts queue only',
    });
    new CfnOutput(this, 'CasesSenderPolicyArn', {
      value: this.casesSenderPolicy.policy.managedPolicyArn,
      description: 'Attach to a helpdesk or field-service integration role: sqs:SendMessage on the cases queue only',
    });
    new CfnOutput(this, 'WebhooksUrl', {
      value: this.webhooks.url,
      description: 'Helpdesk webhooks: POST <url><source> (zendesk, jira, generic), signed with the source secret',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value:
        `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}` +
        `#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
    });
  }
}
