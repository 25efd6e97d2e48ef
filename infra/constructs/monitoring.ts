/**
 * Monitoring: an encrypted, TLS-only operations topic emailed to the operator, alarms on everything that
 * needs a person (dead letters, a stalled queue, function errors and throttles, notices in doubt, bounces
 * and complaints, quarantined items), and a dashboard of what the system did.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUSINESS_METRICS, METRICS_NAMESPACE, type BusinessMetricName } from '../metric-names.ts';

export interface MonitoringProps {
  readonly operatorEmail: string;
  readonly dashboardName: string;
  /** The event queues integrations send to, by name (Contracts, Cases): each has its delay alarm. */
  readonly eventQueues: Readonly<Record<string, IQueue>>;
  /** Queues that must stay empty: any message in one is an alarm. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly functions: Readonly<Record<string, IFunction>>;
  /**
   * Alarm when the oldest message on an event queue is older than this.
   * @default Duration.minutes(5)
   */
  readonly maxEventAge?: Duration;
  /**
   * What happens to the topic's key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const ALARM_PERIOD = Duration.minutes(5);

/** A business metric summed over the functions that publish it (see metric-names.ts). */
export function businessMetric(name: BusinessMetricName, label?: string): IMetric {
  const sources = BUSINESS_METRICS[name].map(
    (service) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: name,
        dimensionsMap: { service },
        statistic: 'Sum',
        period: ALARM_PERIOD,
      }),
  );
  const [only] = sources;
  // A label would turn an alarm's single metric into a metric-math alarm; alarms pass none.
  if (sources.length === 1 && only !== undefined) return label === undefined ? only : only.with({ label });
  const usingMetrics = Object.fromEntries(sources.map((metric, index) => [`${name.toLowerCase()}${index}`, metric]));
  return new MathExpression({
    expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    label: label ?? name,
    period: ALARM_PERIOD,
  });
}

export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // A customer managed key, because CloudWatch cannot publish to a topic under the AWS managed aws/sns key.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the Aftercare operations alarm topic',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Alarms', {
      displayName: 'Aftercare operations',
      masterKey: key,
      enforceSSL: true,
    });
    // The topic policy that enforces TLS replaces the default one, so CloudWatch is allowed explicitly.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.operatorEmail));

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(
        `${name}NotEmpty`,
        `${name}: messages are waiting in a dead-letter queue`,
        queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(1) }),
        0,
      );
    }
    const maxEventAge = props.maxEventAge ?? Duration.minutes(5);
    for (const [name, queue] of Object.entries(props.eventQueues)) {
      this.alarm(
        `${name}EventsDelayed`,
        `The oldest event on the ${name.toLowerCase()} queue is older than ${maxEventAge.toHumanString()}: intake is stalled or failing`,
        queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(1) }),
        maxEventAge.toSeconds(),
        3,
      );
    }
    for (const [name, fn] of Object.entries(props.functions)) {
      const period = ALARM_PERIOD;
      this.alarm(`${name}Errors`, `The ${name} function failed`, fn.metricErrors({ statistic: 'Sum', period }), 0);
      this.alarm(`${name}Throttles`, `The ${name} function was throttled`, fn.metricThrottles({ statistic: 'Sum', period }), 0);
    }
    this.alarm(
      'NoticesUnknown',
      "A notice's send outcome is unknown: check SES before resending it",
      businessMetric('NoticesUnknown'),
      0,
    );
    this.alarm(
      'NoticesFailed',
      'A notice could not be sent',
      businessMetric('NoticesFailed'),
      0,
    );
    this.alarm(
      'NoticesBounced',
      "A notice bounced permanently: its address is suppressed until the contract's contact is amended",
      businessMetric('NoticesBounced'),
      0,
    );
    this.alarm(
      'NoticesComplained',
      "A customer reported a notice as spam: the address is suppressed until the contract's contact is amended",
      businessMetric('NoticesComplained'),
      0,
    );
    // docs/design.md#order-and-duplicates: an item retried its bounded number of times (or failing in a way no retry fixes) is set
    // aside and alerted; the alarm reaches the operator even when the ops.item_quarantined email does not.
    const quarantines: readonly [BusinessMetricName, string][] = [
      ['EventsQuarantined', 'An event was quarantined to the dead-letter queue with its reason: fix the cause, then redrive it'],
      ['SweepItemsQuarantined', 'A case or parked group was quarantined by the sweep: see the statement, fix the cause, then `aftercare redrive`'],
      ['LifecycleContractsQuarantined', "A contract's lifecycle was quarantined: see the statement, fix the cause, then `aftercare redrive`"],
    ];
    for (const [metricName, description] of quarantines) this.alarm(metricName, description, businessMetric(metricName), 0);

    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    this.dashboard.addWidgets(
      this.graph('Events processed', [
        businessMetric('EventsProcessed', 'Processed'),
        businessMetric('EventsApplied', 'Applied'),
        businessMetric('EventsDuplicate', 'Duplicate'),
        businessMetric('EventsParked', 'Parked'),
        businessMetric('EventsRejected', 'Rejected'),
        businessMetric('PoisonMessages', 'Poison'),
        businessMetric('EventsOnWrongQueue', 'Wrong queue'),
        businessMetric('EventsQuarantined', 'Quarantined'),
      ]),
      this.graph('Breaches declared', [businessMetric('BreachesDeclared')]),
      this.graph('Credits booked (minor units)', [businessMetric('CreditsBookedMinor')]),
      this.graph('Notices', [
        businessMetric('NoticesSent', 'Sent'),
        businessMetric('NoticesSuperseded', 'Superseded'),
        businessMetric('NoticesFailed', 'Failed'),
        businessMetric('NoticesUnknown', 'Unknown'),
        businessMetric('NoticesBounced', 'Bounced'),
        businessMetric('NoticesComplained', 'Complained'),
        businessMetric('NoticesSuppressed', 'Not sent: suppressed'),
      ]),
    );
    this.dashboard.addWidgets(
      this.graph(
        'Event queues',
        Object.entries(props.eventQueues).flatMap(([name, queue]) => [
          queue.metricApproximateNumberOfMessagesVisible({ label: `${name} waiting` }),
          queue.metricApproximateAgeOfOldestMessage({ label: `${name} oldest (s)` }),
        ]),
      ),
      this.graph(
        'Dead letters',
        Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ label: name }),
        ),
      ),
      this.graph('Function errors', functions.map(([name, fn]) => fn.metricErrors({ label: name }))),
      this.graph('Function duration p99', functions.map(([name, fn]) => fn.metricDuration({ label: name, statistic: 'p99' }))),
    );
  }

  private alarm(id: string, description: string, metric: IMetric, threshold: number, evaluationPeriods = 1): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  private graph(title: string, metrics: IMetric[]): GraphWidget {
    return new GraphWidget({ title, left: metrics, width: 6 });
  }
}
